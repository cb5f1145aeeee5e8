namespace BatchPs.TestSupport.Aws;

/// <summary>
/// A small template laid out as the repository's: local paths (a Lambda package, a state machine definition)
/// that a deployment uploads, as <c>aws cloudformation package</c> would.
/// </summary>
public static class FakeTemplate
{
    public const string Text = """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          AuthMode: { Type: String, Default: ApiKey }
        Resources:
          StreamFunction:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: dotnet10
              Code: ../artifacts/lambda/BatchPs.Lambda.zip   # uploaded by the deployer
              Role: !GetAtt Role.Arn
          TriggerStateMachine:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionS3Location: statemachine/trigger.asl.json
              DefinitionSubstitutions:
                TriggerTableName: !Ref TriggerTable
        """;

    /// <summary>Writes folder/cloudformation/template.yaml, its state machine definition and folder/artifacts/lambda/BatchPs.Lambda.zip.</summary>
    public static (string Template, string Definition, string Package) WriteTo(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "cloudformation", "statemachine"));
        Directory.CreateDirectory(Path.Combine(folder, "artifacts", "lambda"));
        var template = Path.Combine(folder, "cloudformation", "template.yaml");
        File.WriteAllText(template, Text);
        var definition = Path.Combine(folder, "cloudformation", "statemachine", "trigger.asl.json");
        File.WriteAllText(definition, "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}");
        var package = Path.Combine(folder, "artifacts", "lambda", "BatchPs.Lambda.zip");
        File.WriteAllBytes(package, new byte[] { 0x50, 0x4b, 0x05, 0x06, 1, 2, 3 });
        return (template, definition, package);
    }
}
