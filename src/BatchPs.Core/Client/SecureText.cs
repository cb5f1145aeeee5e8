using System.Runtime.InteropServices;
using System.Security;

namespace BatchPs.Core.Client;

/// <summary>Moves secrets between <see cref="SecureString"/> (what PowerShell keeps and never displays) and the plain text a request header needs.</summary>
public static class SecureText
{
    /// <summary>A read-only secure copy of <paramref name="text"/>.</summary>
    public static SecureString FromPlain(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The plain text of <paramref name="secure"/>, for the moment it is sent.</summary>
    public static string ToPlain(SecureString secure)
    {
        if (secure is null) throw new ArgumentNullException(nameof(secure));
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? "";
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
