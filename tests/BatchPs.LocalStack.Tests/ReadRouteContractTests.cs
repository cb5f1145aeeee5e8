using BatchPs.TestSupport.Contract;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// The read routes' shared contract (TestSupport's <c>Contract/read-routes.json</c>) over real HTTP against a local
/// stack; the cloud's read function answers the same cases in BatchPs.Lambda.Tests.
/// </summary>
public sealed class ReadRouteContractTests : IClassFixture<ReadRouteContractTests.Stack>
{
    private readonly Stack _stack;

    public ReadRouteContractTests(Stack stack) => _stack = stack;

    /// <summary>A stack with one trigger of a job that ran.</summary>
    public sealed class Stack : IAsyncLifetime
    {
        internal TestStack Server { get; private set; } = null!;
        internal string TriggerId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Server = await TestStack.StartAsync(Jobs.Shell("hello", "echo hi"));
            TriggerId = (await Server.SendAsync("hello")).TriggerId;
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    public static IEnumerable<object[]> Cases => ReadRouteCase.All();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_local_stack_answers_the_read_route_contract(string name)
    {
        var contract = ReadRouteCase.Named(name);
        using var response = await _stack.Server.Client.GetAsync(contract.PathFor(_stack.TriggerId));
        contract.Check((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
