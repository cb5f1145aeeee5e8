// The hand-written AWS clients against the JS SDK v3: each fixture in fixtures/requests is a request a C# client
// put on the wire for a stated input (written by tests/BatchPs.Aws.Tests StepFunctionsWireFixtureTests, CloudWatchLogsWireFixtureTests, BatchWireFixtureTests and
// tests/BatchPs.Admin.Tests WireFixtureTests); the SDK's request for the same input must match it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { compareWithSdk } from './wire-check.js';

const folder = new URL('./fixtures/requests/', import.meta.url);
const fixtures = readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(new URL(f, folder), 'utf8'))]);

test('Every client request fixture is present', () => {
  assert.deepEqual(fixtures.map(([f]) => f).sort(), [
    'apigateway-CreateDeployment.json', 'apigateway-GetApiKey.json', 'batch-DescribeJobs.json', 'cloudformation-CreateChangeSet.json', 'cloudformation-DescribeStacks.json', 'logs-GetLogEvents.json',
    'states-GetExecutionHistory.json', 'states-StartExecution.json', 'states-StopExecution.json',
  ]);
});

for (const [file, fixture] of fixtures) {
  test(`${file}: the request equals the JS SDK's for the same input`, async () => {
    assert.deepEqual(await compareWithSdk(fixture), []);
  });
}

test('Wire check reports a missing Accept, a wrong target, a misnamed form field, a JSON member, a query parameter and a REST path', async () => {
  const byName = Object.fromEntries(fixtures.map(([f, x]) => [f, structuredClone(x)]));
  const getKey = byName['apigateway-GetApiKey.json'];
  delete getKey.request.headers.accept;
  getKey.request.pathAndQuery = '/apikeys/k3y1d?includevalue=true';
  const start = byName['states-StartExecution.json'];
  start.request.headers['x-amz-target'] = 'AWSStepFunctions.StartSyncExecution';
  start.request.body = start.request.body.replace('"stateMachineArn"', '"StateMachineArn"');
  const logs = byName['logs-GetLogEvents.json'];
  logs.request.headers['content-type'] = 'application/x-amz-json-1.0';
  const history = byName['states-GetExecutionHistory.json'];
  history.request.body = history.request.body.replace('"includeExecutionData":true', '"includeExecutionData":false');
  const jobs = byName['batch-DescribeJobs.json'];
  jobs.request.pathAndQuery = '/v1/describejob';
  const changeSet = byName['cloudformation-CreateChangeSet.json'];
  changeSet.request.body = changeSet.request.body.replace('Parameters.member.1.ParameterKey', 'Parameters.1.ParameterKey');

  const problems = [
    ...(await compareWithSdk(getKey)), ...(await compareWithSdk(start)), ...(await compareWithSdk(changeSet)),
    ...(await compareWithSdk(logs)), ...(await compareWithSdk(history)), ...(await compareWithSdk(jobs)),
  ];
  const has = (text) => assert.ok(problems.some((p) => p.includes(text)), `expected "${text}" in:\n${problems.join('\n')}`);
  has('GetApiKeyCommand: accept (none), the SDK sends application/json');
  has('GetApiKeyCommand: query');
  has('StartExecutionCommand: x-amz-target AWSStepFunctions.StartSyncExecution');
  has('StartExecutionCommand: body');
  has('CreateChangeSetCommand: form');
  has('GetLogEventsCommand: content-type application/x-amz-json-1.0');
  has('GetExecutionHistoryCommand: body');
  has('DescribeJobsCommand: path /v1/describejob,');
});
