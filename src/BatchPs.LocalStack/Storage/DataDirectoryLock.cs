namespace BatchPs.LocalStack.Storage;

/// <summary>
/// Keeps one local stack per data folder: an exclusive lock on <c>DATA/lock</c> for the life of the
/// process (the operating system drops it when the process dies, <c>kill -9</c> included). Two stacks
/// on one folder would run the same jobs twice.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock; throws <see cref="IOException"/> naming the folder when another stack holds it.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "lock");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var holder = "";
            try
            {
                holder = File.ReadAllText(path).Trim();
            }
            catch (IOException)
            {
                // Unreadable while locked on some systems.
            }
            throw new IOException($"Another local stack{(holder.Length > 0 ? $" (process {holder})" : "")} is using the data folder '{dataDirectory}'. Stop it, or pass a different --data folder.", ex);
        }
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true)) writer.Write(Environment.ProcessId);
        file.Flush();
        return new DataDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();
}
