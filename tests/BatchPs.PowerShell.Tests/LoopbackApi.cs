using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BatchPs.PowerShell.Tests;

/// <summary>
/// A scripted HTTP server on a loopback port: each request gets the next scripted answer (the last one
/// repeats). It records every request, so tests can check what the module sent and how often.
/// </summary>
public sealed class LoopbackApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<LoopbackAnswer> _answers;
    private readonly Task _loop;
    private int _served;

    public LoopbackApi(params LoopbackAnswer[] answers)
    {
        _answers = answers.ToList();
        // HttpListener needs a concrete port: take one the OS says is free.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Endpoint.AbsoluteUri);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Prefixes.Clear();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new LoopbackRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.Headers["x-api-key"], body, DateTimeOffset.UtcNow));
            var index = Math.Min(Interlocked.Increment(ref _served) - 1, _answers.Count - 1);
            var answer = _answers[index];
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers) context.Response.AddHeader(name, value);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
