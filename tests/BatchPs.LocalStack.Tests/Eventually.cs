namespace BatchPs.LocalStack.Tests;

/// <summary>Wait-until with a deadline: no fixed sleeps, no tight timing.</summary>
internal static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Gave up waiting for {what} after {timeout.TotalSeconds} s; last seen: {System.Text.Json.JsonSerializer.Serialize(last)}");
    }

    public static Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitForAsync(() => Task.FromResult(condition()), ok => ok, timeout, what);
}
