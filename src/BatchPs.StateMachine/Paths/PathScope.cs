using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>What <c>$</c> and <c>$$</c> refer to while a payload template, intrinsic or Choice rule is evaluated.</summary>
/// <param name="Input">The JSON that <c>$</c> selects from.</param>
/// <param name="Context">The context object that <c>$$</c> selects from.</param>
internal readonly record struct PathScope(JsonNode? Input, JsonNode? Context);
