namespace BatchPs.LocalStack.Storage;

/// <summary>
/// Creates the data folder's folders (mode 0700) and files (mode 0600) readable by their owner only,
/// whatever the umask: they hold trigger parameters, job output and the API key. On Windows the modes
/// do not exist and nothing is changed: a new folder or file inherits its parent folder's ACL (the
/// user's profile and temp folders are private to the user).
/// </summary>
internal static class OwnerOnly
{
    /// <summary>rwx------.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> and its missing parents mode 0700. A folder that already exists is
    /// left as it is: this never changes the mode of a folder it did not create.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (Directory.Exists(path)) return;
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null) CreateDirectory(parent);
        Directory.CreateDirectory(path, FolderMode);
        // mkdir applies the umask; a umask such as 0277 would leave the owner unable to write.
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>
    /// Opens <paramref name="path"/>, creating it mode 0600 from the first byte when it does not exist
    /// (never a looser mode followed by a chmod). <paramref name="mode"/> must be one that may create.
    /// <paramref name="bufferSize"/> 0 writes through: a failed write leaves nothing buffered to come back later.
    /// </summary>
    public static FileStream OpenFile(string path, System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows() && stream.CanSeek && stream.Length == 0 && File.GetUnixFileMode(stream.SafeFileHandle) != FileMode)
        {
            // Created just now under a umask that took owner bits off (or an empty file of ours made looser).
            File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
        }
        return stream;
    }

    /// <summary>Takes group and other access off a file or folder this program made (for data folders of earlier versions, made with the umask).</summary>
    public static void Tighten(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path)) return;
        var current = File.GetUnixFileMode(path);
        var wanted = current & (isFolder ? FolderMode : FileMode | UnixFileMode.UserExecute);
        if (wanted != current) File.SetUnixFileMode(path, wanted);
    }
}
