// The cloud stack held to AWS's own data (see aws-specs.js for the packages): the template against the
// CloudFormation resource schemas, its IAM statements against the Service Authorization Reference, the
// state machine against the service API models. Each check is also run on a copy with a planted defect of
// its kind, which it must report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from './cfn-yaml.js';
import { checkTemplate, packaged } from './cfn-check.js';
import { checkNeeds, checkStatements } from './iam-check.js';
import { deriveNeeds, lambdaSources } from './needs.js';
import { checkDefinition, checkParserReads, checkSubmitJob } from './asl-check.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const template = loadTemplate(fileURLToPath(new URL('../template.yaml', import.meta.url)));
const definition = JSON.parse(readFileSync(new URL('../statemachine/trigger.asl.json', import.meta.url), 'utf8'));
const sources = lambdaSources(root);
// What an admin passes as the list parameters (README "Parameters"): a queue, a definition's every revision, one revision.
const samples = {
  JobLogGroupName: '/aws/batch/job',
  JobQueueArns: ['arn:aws:batch:eu-west-1:123456789012:job-queue/nightly'],
  JobDefinitionArns: ['arn:aws:batch:eu-west-1:123456789012:job-definition/export:*', 'arn:aws:batch:eu-west-1:123456789012:job-definition/import:3'],
};

// Enum values from the API models for the template's enum-valued properties (the resource schemas of
// @aws-cdk/aws-service-spec carry no enums).
function enumOf(client, name) {
  return Object.values(require(`@aws-sdk/client-${client}`)[name]);
}
const enums = {
  'AWS::DynamoDB::Table.BillingMode': enumOf('dynamodb', 'BillingMode'),
  'AWS::DynamoDB::Table.StreamSpecification.StreamViewType': enumOf('dynamodb', 'StreamViewType'),
  'AWS::DynamoDB::Table.AttributeDefinitions.AttributeType': enumOf('dynamodb', 'ScalarAttributeType'),
  'AWS::DynamoDB::Table.KeySchema.KeyType': enumOf('dynamodb', 'KeyType'),
  'AWS::Lambda::Function.Runtime': enumOf('lambda', 'Runtime'),
  'AWS::Lambda::Function.Architectures': enumOf('lambda', 'Architecture'),
  'AWS::Lambda::EventSourceMapping.StartingPosition': enumOf('lambda', 'EventSourcePosition'),
  'AWS::Lambda::EventSourceMapping.FunctionResponseTypes': enumOf('lambda', 'FunctionResponseType'),
  'AWS::StepFunctions::StateMachine.StateMachineType': enumOf('sfn', 'StateMachineType'),
  'AWS::Batch::ComputeEnvironment.Type': enumOf('batch', 'CEType'),
  'AWS::Batch::ComputeEnvironment.State': enumOf('batch', 'CEState'),
  'AWS::Batch::ComputeEnvironment.ComputeResources.Type': enumOf('batch', 'CRType'),
  'AWS::Batch::JobQueue.State': enumOf('batch', 'JQState'),
  'AWS::Batch::JobDefinition.Type': enumOf('batch', 'JobDefinitionType'),
  'AWS::Batch::JobDefinition.PlatformCapabilities': enumOf('batch', 'PlatformCapability'),
  'AWS::Batch::JobDefinition.ContainerProperties.ResourceRequirements.Type': enumOf('batch', 'ResourceType'),
  'AWS::Batch::JobDefinition.ContainerProperties.NetworkConfiguration.AssignPublicIp': enumOf('batch', 'AssignPublicIp'),
  'AWS::Batch::JobDefinition.ContainerProperties.LogConfiguration.LogDriver': enumOf('batch', 'LogDriver'),
  'AWS::ApiGateway::RestApi.EndpointConfiguration.Types': enumOf('api-gateway', 'EndpointType'),
  'AWS::ApiGateway::RestApi.ApiKeySourceType': enumOf('api-gateway', 'ApiKeySourceType'),
  'AWS::ApiGateway::GatewayResponse.ResponseType': enumOf('api-gateway', 'GatewayResponseType'),
  'AWS::ApiGateway::Method.Integration.Type': enumOf('api-gateway', 'IntegrationType'),
};

const copy = (value) => structuredClone(value);
const includes = (problems, text) => assert.ok(problems.some((p) => p.includes(text)), `expected a problem with "${text}", got:\n${problems.join('\n')}`);

test('Template matches the CloudFormation resource schemas, as written and as packaged', () => {
  assert.deepEqual(checkTemplate(template, { enums, unpackaged: true }), []);
  assert.deepEqual(checkTemplate(packaged(template), { enums }), []);
});

test('Template check reports each kind of planted defect', () => {
  const t = copy(template);
  t.Resources.TriggerTable.Properties.BilingMode = 'PAY_PER_REQUEST'; // a property name
  t.Resources.TriggerTable.Properties.StreamSpecification.StreamViewType = 'NEW_IMAGES'; // an enum value
  t.Resources.Api.Properties.EndpointConfiguration.Types = 'REGIONAL'; // a list given as a scalar
  t.Resources.StreamMapping.Properties.FilterCriteria = { Filters: { Pattern: '{}' } }; // nesting: a list given as a map
  t.Resources.StreamMapping.Properties.BatchSize = 'many'; // a number
  delete t.Resources.StreamFunction.Properties.Role; // a required property
  t.Resources.StreamFunction.Properties.Environment.Variables.X = { 'Fn::GetAtt': ['TriggerTable', 'StreamArm'] }; // an attribute
  t.Resources.StreamFunction.Properties.Environment.Variables.Y = { Ref: 'TriggerTabel' }; // a Ref
  t.Resources.StreamFunction.Properties.Environment.Variables.Z = { Ref: 'SampleJobQueue' }; // a conditional resource outside its !If
  t.Resources.ApiKey.Condition = 'UseApiKeys'; // a condition
  t.Resources.ApiStage.DependsOn = 'ApiGatewayAccount'; // DependsOn a conditional resource
  const problems = checkTemplate(t, { enums, unpackaged: true });

  includes(problems, "'BilingMode' is not a property");
  includes(problems, "'NEW_IMAGES' is not one of");
  includes(problems, 'EndpointConfiguration.Types: must be a list');
  includes(problems, 'FilterCriteria.Filters: must be a list');
  includes(problems, 'BatchSize: must be a number');
  includes(problems, "required property 'Role' is missing");
  includes(problems, "has no attribute 'StreamArm'");
  includes(problems, "Ref 'TriggerTabel' is neither a parameter nor a resource");
  includes(problems, "Ref to 'SampleJobQueue' exists only when 'CreateSample' holds");
  includes(problems, "condition 'UseApiKeys' is not in Conditions");
  includes(problems, "DependsOn 'ApiGatewayAccount', which exists only when");
  // Unpackaged local paths are errors once packaged: the packaged form is checked strictly.
  includes(checkTemplate(template, { enums }), 'Resources.StreamFunction.Code: must be an object');
});

test('Every IAM statement matches the Service Authorization Reference', async () => {
  assert.deepEqual(await checkStatements(template, samples), []);
});

test('IAM check reports an unknown action, a resource of the wrong type and a scoped wildcard-only action', async () => {
  const t = copy(template);
  const statements = t.Resources.StreamFunctionRole.Properties.Policies[0].PolicyDocument.Statement;
  statements.find((s) => s.Sid === 'ReadTheJobCatalog').Action = 'dynamodb:GetItems';
  statements.find((s) => s.Sid === 'ReadTheTriggerStream').Resource = { 'Fn::GetAtt': ['TriggerTable', 'Arn'] };
  statements.find((s) => s.Sid === 'ListTheTriggerStreams').Resource = { 'Fn::Sub': '${TriggerTable.Arn}/stream/*' };
  const problems = await checkStatements(t, samples);

  includes(problems, "'dynamodb:GetItems' is not an action");
  includes(problems, 'is not an ARN of a resource type of dynamodb:DescribeStream (stream)');
  includes(problems, 'dynamodb:ListStreams supports no resource-level permissions');
});

test('Each role holds what its definition, event sources, code and integrations call', async () => {
  const needs = deriveNeeds(template, definition, sources, samples);
  const actions = new Set(needs.map((n) => `${n.role} ${n.action}`));
  for (const expected of ['StateMachineRole batch:SubmitJob', 'StateMachineRole events:PutRule', 'StreamFunctionRole dynamodb:ListStreams',
    'StreamFunctionRole states:StartExecution', 'StreamFunctionRole dynamodb:GetItem', 'StreamFunctionRole sqs:SendMessage', 'ApiRole dynamodb:UpdateItem', 'ApiRole dynamodb:GetItem',
    'ReadFunctionRole dynamodb:GetItem', 'ReadFunctionRole dynamodb:Query', 'ReadFunctionRole logs:GetLogEvents', 'ReadFunctionRole states:GetExecutionHistory', 'ReadFunctionRole batch:DescribeJobs']) {
    assert.ok(actions.has(expected), `derived needs lack ${expected}`);
  }
  // Each function needs what its own handler's code calls: the read function starts, stops and writes nothing.
  for (const absent of ['ReadFunctionRole states:StartExecution', 'ReadFunctionRole states:StopExecution', 'ReadFunctionRole dynamodb:UpdateItem', 'StreamFunctionRole dynamodb:Query', 'StreamFunctionRole logs:GetLogEvents', 'StreamFunctionRole batch:DescribeJobs']) {
    assert.ok(!actions.has(absent), `derived needs hold ${absent}`);
  }
  assert.deepEqual(needs.filter((n) => n.role === 'ReadFunctionRole' && n.action === 'dynamodb:Query').map((n) => n.arn.split('/').pop()).sort(), ['byCreated', 'byJob']);
  assert.deepEqual(await checkNeeds(template, samples, needs), []);
});

test('Needs check reports SubmitJob without the job resource, a missing sync rule permission and a code call not granted', async () => {
  const t = copy(template);
  const machine = t.Resources.StateMachineRole.Properties.Policies[0].PolicyDocument.Statement;
  const jobs = machine.find((s) => s.Sid === 'TagAndStopSubmittedJobs');
  jobs.Action = jobs.Action.filter((a) => a !== 'batch:SubmitJob');
  const rule = machine.find((s) => s.Sid === 'SyncIntegrationRule');
  rule.Action = rule.Action.filter((a) => a !== 'events:PutTargets');
  const lambda = t.Resources.StreamFunctionRole.Properties.Policies[0].PolicyDocument.Statement;
  lambda.splice(lambda.findIndex((s) => s.Sid === 'StartTriggerWorkflows'), 1);
  const read = t.Resources.ReadFunctionRole.Properties.Policies[0].PolicyDocument.Statement;
  read.splice(read.findIndex((s) => s.Sid === 'ReadJobLogs'), 1);
  read.find((s) => s.Sid === 'ListTriggers').Resource.pop();
  read.splice(read.findIndex((s) => s.Sid === 'DescribeJobAttempts'), 1);
  const problems = await checkNeeds(t, samples, deriveNeeds(t, definition, sources, samples));

  includes(problems, 'StateMachineRole lacks batch:SubmitJob on arn:aws:batch:eu-west-1:123456789012:job/');
  includes(problems, "StateMachineRole holds batch:SubmitJob but on no 'job' resource");
  includes(problems, 'StateMachineRole lacks events:PutTargets');
  includes(problems, 'StreamFunctionRole lacks states:StartExecution');
  includes(problems, 'ReadFunctionRole lacks logs:GetLogEvents on arn:aws:logs:eu-west-1:123456789012:log-group:/aws/batch/job:log-stream:');
  includes(problems, 'ReadFunctionRole lacks batch:DescribeJobs on *');
  includes(problems, 'ReadFunctionRole lacks dynamodb:Query on arn:aws:dynamodb:eu-west-1:123456789012:table/TriggerTable-x1y2/index/byCreated');
});

test('A new AWS call in the Lambda code becomes a need', () => {
  const extra = [...sources, { file: 'lambda/BatchPs.Lambda/DynamoDbJobCatalog.cs', text: 'await _dynamo.QueryAsync(request)' }];
  const needs = deriveNeeds(template, definition, extra, samples);
  assert.ok(needs.some((n) => n.action === 'dynamodb:Query' && n.role === 'StreamFunctionRole'));
});

test('State machine Task parameters, result paths and error names match the API models', () => {
  assert.deepEqual(checkDefinition(definition, ['$.failed.job']), []);
});

test('State machine check reports a wrong member, a path JobDetail lacks and error names Step Functions never surfaces', () => {
  const d = copy(definition);
  d.States['Record SUBMITTED'].Parameters.ConditionExpresion = d.States['Record SUBMITTED'].Parameters.ConditionExpression;
  d.States['Record SUBMITTED'].Parameters.ExpressionAttributeValues[':rank'] = { Number: '2' };
  d.States['Which success details?'].Choices[0].And[2].Variable = '$.job.Container.exitCode';
  d.States['Run job'].Retry[0].ErrorEquals.push('Batch.TooManyRequestsException');
  d.States['Record SUBMITTED'].Retry[0].ErrorEquals.push('DynamoDB.RequestLimitExceeded');
  d.States['Record SUBMITTED'].Catch[0].ErrorEquals.push('States.Timeouts');
  const text = JSON.stringify(d).replace('$.failed.job.StatusReason', '$.failed.job.Reason');
  const problems = checkDefinition(JSON.parse(text), ['$.failed.job']);

  includes(problems, "'ConditionExpresion' is not a member of UpdateItemInput");
  includes(problems, "'Number' is not a member of AttributeValue");
  includes(problems, "'$.job.Container.exitCode' is read");
  includes(problems, "'$.failed.job.Reason' is read");
  includes(problems, "'Batch.TooManyRequestsException' is not an error Step Functions surfaces");
  includes(problems, "'DynamoDB.RequestLimitExceeded' is not an error Step Functions surfaces");
  includes(problems, "'States.Timeouts' is not an error of the States Language");
});

test('The workflow input Core builds is a valid SubmitJob request', () => {
  // Written by tests/BatchPs.Cloud.Tests (WorkflowInputFixtureTests), which keeps it equal to WorkflowInput.Build.
  const input = JSON.parse(readFileSync(new URL('./fixtures/workflow-input.json', import.meta.url), 'utf8'));
  assert.deepEqual(checkSubmitJob(input.submitJob), []);
  const planted = copy(input.submitJob);
  planted.RetryStrategy.EvaluateOnExit[0].OnExit = '1';
  delete planted.JobQueue;
  const problems = checkSubmitJob(planted);
  includes(problems, "'OnExit' is not a member of EvaluateOnExit");
  includes(problems, "required member 'JobQueue' of SubmitJobRequest is missing");
});

test('The Batch job description parser reads members of the JobDetail model', () => {
  const receivers = { Parse: { job: 'JobDetail', c: 'ContainerDetail', c2: 'ContainerDetail', 'attempts[]': 'AttemptDetail', last: 'AttemptContainerDetail', array: 'ArrayPropertiesDetail' } };
  const source = readFileSync(new URL('../../src/BatchPs.Core/Batch/BatchJobSummary.cs', import.meta.url), 'utf8');
  assert.deepEqual(checkParserReads('@aws-sdk/client-batch', source, receivers), []);
  const planted = source.replace('String(c2, "logStreamName")', 'String(c2, "logStream")').replace('Get(array, "statusSummary")', 'Get(array, "statusSummaries")');
  const problems = checkParserReads('@aws-sdk/client-batch', planted, receivers);
  includes(problems, 'reads "logStream" from ContainerDetail');
  includes(problems, 'reads "statusSummaries" from ArrayPropertiesDetail');
});

test('The Batch client reads members of the DescribeJobs model', () => {
  const receivers = { DescribeJobsAsync: { answer: 'DescribeJobsResponse', job: 'JobDetail', attempt: 'AttemptDetail', ended: 'AttemptContainerDetail', container: 'ContainerDetail', array: 'ArrayPropertiesDetail' } };
  const source = readFileSync(new URL('../../src/BatchPs.Aws/Batch/BatchClient.cs', import.meta.url), 'utf8');
  assert.deepEqual(checkParserReads('@aws-sdk/client-batch', source, receivers), []);
  const planted = source.replace('String(ended, "logStreamName")', 'String(ended, "logStream")').replace('Int(array, "index")', 'Int(array, "arrayIndex")');
  const problems = checkParserReads('@aws-sdk/client-batch', planted, receivers);
  includes(problems, 'reads "logStream" from AttemptContainerDetail');
  includes(problems, 'reads "arrayIndex" from ArrayPropertiesDetail');
});

test('The CloudFormation client reads members of the CloudFormation model\'s outputs', () => {
  const receivers = {
    DescribeStackAsync: { result: 'DescribeStacksOutput' },
    CreateChangeSetAsync: { result: 'CreateChangeSetOutput' },
    DescribeChangeSetAsync: { result: 'DescribeChangeSetOutput', member: 'Change', change: 'ResourceChange' },
    DescribeStackEventsAsync: { result: 'DescribeStackEventsOutput', member: 'StackEvent' },
    ReadStack: { member: 'Stack', output: 'Output', parameter: 'Parameter' },
  };
  const source = readFileSync(new URL('../../src/BatchPs.Admin/Aws/CloudFormation/CloudFormationClient.cs', import.meta.url), 'utf8');
  assert.deepEqual(checkParserReads('@aws-sdk/client-cloudformation', source, receivers), []);
  const planted = source.replace('Value(member, "StackStatus")', 'Value(member, "Status")').replace('Value(output, "OutputValue")', 'Value(output, "Value")');
  const problems = checkParserReads('@aws-sdk/client-cloudformation', planted, receivers);
  includes(problems, 'ReadStack: reads "Status" from Stack');
  includes(problems, 'ReadStack: reads "Value" from Output');
});
