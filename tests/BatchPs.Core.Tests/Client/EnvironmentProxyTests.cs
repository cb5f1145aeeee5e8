using BatchPs.Core.Client;

namespace BatchPs.Core.Tests.Client;

public sealed class EnvironmentProxyTests
{
    private static readonly EnvironmentProxy Proxy = new("http://secure-proxy:8443", "proxy.corp:3128", "internal.corp, .example.org,10.1.2.3, api.local:8080");

    [Fact]
    public void Https_and_http_urls_use_their_own_proxy()
    {
        Assert.Equal(new Uri("http://secure-proxy:8443"), Proxy.GetProxy(new Uri("https://abc.execute-api.eu-west-1.amazonaws.com/prod")));
        Assert.Equal(new Uri("http://proxy.corp:3128"), Proxy.GetProxy(new Uri("http://batch.other.net/")));
    }

    [Theory]
    [InlineData("https://internal.corp/triggers")]
    [InlineData("https://api.internal.corp/triggers")]
    [InlineData("https://example.org/")]
    [InlineData("https://www.example.org/")]
    [InlineData("http://10.1.2.3:5000/")]
    [InlineData("http://api.local:8080/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://[::1]:5000/")]
    public void NO_PROXY_hosts_domains_ports_and_loopback_bypass_the_proxy(string url) => Assert.True(Proxy.IsBypassed(new Uri(url)));

    [Theory]
    [InlineData("https://notinternal.corp/")]
    [InlineData("http://api.local:9090/")]
    [InlineData("https://example.org.evil.net/")]
    public void Other_hosts_go_through_the_proxy(string url) => Assert.False(Proxy.IsBypassed(new Uri(url)));

    [Fact]
    public void A_star_bypasses_everything() =>
        Assert.True(new EnvironmentProxy("http://p:1", null, "*").IsBypassed(new Uri("https://anything.net/")));

    [Fact]
    public void A_scheme_without_a_proxy_goes_direct() =>
        Assert.True(new EnvironmentProxy("http://p:1", null, null).IsBypassed(new Uri("http://plain.net/")));

    [Fact]
    public void A_malformed_proxy_is_reported_with_its_variable()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EnvironmentProxy("http://bad host:80", null, null));
        Assert.Contains("HTTPS_PROXY", ex.Message);
    }
}
