using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace BatchPs.Core.Connections;

/// <summary>
/// Protects a secret at rest for the current user: DPAPI (CurrentUser scope) on Windows; elsewhere the
/// file holding it is made readable by its owner only (mode 0600, in a 0700 folder).
/// </summary>
internal static class SecretProtection
{
    internal const string Dpapi = "DPAPI (current user)";
    internal const string FileMode = "file mode 0600";
    private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("BatchPs.SavedConnection.v1");

    public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public static string Kind => IsWindows ? Dpapi : FileMode;

    public static string Protect(string secret) =>
        IsWindows ? Convert.ToBase64String(Dpapi32(Encoding.UTF8.GetBytes(secret), protect: true)) : secret;

    public static string Unprotect(string stored, string kind) => kind switch
    {
        Dpapi when IsWindows => Encoding.UTF8.GetString(Dpapi32(Convert.FromBase64String(stored), protect: false)),
        Dpapi => throw new InvalidOperationException("This connection was saved on Windows with DPAPI and can only be read there, by the same user. Save it again on this machine."),
        _ => stored,
    };

    /// <summary>Sets the Unix mode of <paramref name="path"/> (no-op on Windows, where the profile folder's ACL applies).</summary>
    public static void RestrictToOwner(string path, bool directory)
    {
        if (IsWindows) return;
        if (chmod(System.Text.Encoding.UTF8.GetBytes(path + "\0"), directory ? 0x1C0u /* 0700 */ : 0x180u /* 0600 */) != 0)
            throw new IOException($"Could not restrict '{path}' to its owner (chmod failed, errno {Marshal.GetLastWin32Error()}).");
    }

    /// <summary>
    /// Creates <paramref name="path"/> and its missing parents, each mode 0700 (on Windows, with its parent's ACL).
    /// Folders that already exist are left as they are: this never changes a folder it did not create.
    /// </summary>
    public static void CreateOwnerOnlyDirectory(string path)
    {
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); !string.IsNullOrEmpty(folder) && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            missing.Push(folder);
        while (missing.Count > 0)
        {
            var folder = missing.Pop();
            if (IsWindows)
            {
                Directory.CreateDirectory(folder);
                continue;
            }
            // Created 0700 (less any umask bits), then set exactly: never a moment readable by others.
            if (mkdir(System.Text.Encoding.UTF8.GetBytes(folder + "\0"), 0x1C0u) != 0 && !Directory.Exists(folder))
                throw new IOException($"Could not create the folder '{folder}' (mkdir failed, errno {Marshal.GetLastWin32Error()}).");
            RestrictToOwner(folder, directory: true);
        }
    }

    /// <summary>True when users other than the owner may create, rename or delete files in the folder (Unix mode bits 022; never on Windows).</summary>
    public static bool IsWritableByOthers(string folder)
    {
        if (IsWindows || !Directory.Exists(folder)) return false;
        // netstandard2.0 has no File.GetUnixFileMode, but every runtime that runs this off Windows (.NET 7 and later) does.
        var getMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
        if (getMode is null) return false;
        var mode = Convert.ToInt32(getMode.Invoke(null, new object[] { folder }), System.Globalization.CultureInfo.InvariantCulture);
        return (mode & 0x12 /* 022 */) != 0;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chmod(byte[] path, uint mode); // path: NUL-terminated UTF-8, as libc takes it

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir(byte[] path, uint mode); // path: NUL-terminated UTF-8, as libc takes it

    private static byte[] Dpapi32(byte[] data, bool protect)
    {
        var input = Pin(data);
        var entropy = Pin(Entropy);
        var output = default(DataBlob);
        try
        {
            const int uiForbidden = 0x1;
            var ok = protect
                ? CryptProtectData(ref input.Blob, null, ref entropy.Blob, IntPtr.Zero, IntPtr.Zero, uiForbidden, ref output)
                : CryptUnprotectData(ref input.Blob, IntPtr.Zero, ref entropy.Blob, IntPtr.Zero, IntPtr.Zero, uiForbidden, ref output);
            if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error(), protect ? "DPAPI could not protect the API key." : "DPAPI could not read the API key (saved by another user or machine?). Save the connection again.");
            var result = new byte[output.Size];
            Marshal.Copy(output.Data, result, 0, output.Size);
            return result;
        }
        finally
        {
            input.Handle.Free();
            entropy.Handle.Free();
            if (output.Data != IntPtr.Zero) LocalFree(output.Data);
        }
    }

    private static (GCHandle Handle, DataBlob Blob) Pin(byte[] data)
    {
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        return (handle, new DataBlob { Size = data.Length, Data = handle.AddrOfPinnedObject() });
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DataBlob
    {
        public int Size;
        public IntPtr Data;
    }

    [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern bool CryptProtectData(ref DataBlob dataIn, string? description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

    [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

    [DllImport("kernel32.dll")]
    private static extern IntPtr LocalFree(IntPtr memory);
}
