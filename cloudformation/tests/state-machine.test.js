// The state machine's DynamoDB writes, checked as DynamoDB checks an UpdateItem: every expression
// name and value defined is used and every one used is defined; each write is forward-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const definition = JSON.parse(readFileSync(new URL('../statemachine/trigger.asl.json', import.meta.url), 'utf8'));
const states = Object.entries(definition.States);
const updates = states.filter(([, s]) => s.Resource === 'arn:aws:states:::dynamodb:updateItem');

test('every updateItem defines exactly the names and values its expressions use', () => {
  assert.ok(updates.length >= 5);
  for (const [name, state] of updates) {
    const p = state.Parameters;
    const used = new Set(`${p.UpdateExpression} ${p.ConditionExpression}`.match(/[#:][A-Za-z]+/g));
    const defined = new Set([...Object.keys(p.ExpressionAttributeNames), ...Object.keys(p.ExpressionAttributeValues)]);
    assert.deepEqual([...used].sort(), [...defined].sort(), name);
    assert.equal(p.TableName, '${TriggerTableName}', name);
    assert.deepEqual(p.Key, { triggerId: { 'S.$': '$.triggerId' } }, name);
  }
});

test('every updateItem is forward only and bumps the version', () => {
  const ranks = { SUBMITTED: '2', SUCCEEDED: '7', FAILED: '7' };
  for (const [name, state] of updates) {
    const p = state.Parameters;
    assert.equal(p.ConditionExpression, 'attribute_exists(#triggerId) AND #rank < :rank', name);
    assert.equal(p.ExpressionAttributeNames['#rank'], 'statusRank', name);
    assert.equal(p.ExpressionAttributeValues[':rank'].N, ranks[p.ExpressionAttributeValues[':status'].S], name);
    assert.match(p.UpdateExpression, / ADD #version :one$/, name);
    assert.ok(state.Catch.some((c) => c.ErrorEquals.includes('DynamoDB.ConditionalCheckFailedException')), `${name} must treat a record already past it as done`);
  }
});

test('the job runs once, from the input\'s submitJob, and every path ends', () => {
  const runs = states.filter(([, s]) => s.Resource === 'arn:aws:states:::batch:submitJob.sync');
  assert.equal(runs.length, 1);
  const [, run] = runs[0];
  assert.equal(run.InputPath, '$.submitJob');
  assert.equal(run.Parameters, undefined, 'the catalog-built request is passed as is');
  assert.ok(run.Catch.some((c) => c.ErrorEquals.includes('States.ALL')), 'no failure leaves the record behind');
  const targets = states.flatMap(([, s]) => [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)]).filter(Boolean);
  for (const target of targets) assert.ok(definition.States[target], `unknown state ${target}`);
  for (const [name] of states) assert.ok(name === definition.StartAt || targets.includes(name), `${name} is unreachable`);
});

test('a write reads a job field only where a Choice made sure it is present', () => {
  const guards = new Map(); // state -> paths checked with IsPresent on the way there
  for (const [, state] of states.filter(([, s]) => s.Type === 'Choice')) {
    for (const rule of state.Choices) {
      const present = (rule.And ?? [rule]).filter((c) => c.IsPresent === true).map((c) => c.Variable);
      guards.set(rule.Next, present);
    }
  }
  for (const [name, state] of updates) {
    const read = JSON.stringify(state.Parameters).match(/\$\.(failed\.)?job\.[A-Za-z.]+/g) ?? [];
    for (const path of read) {
      assert.ok((guards.get(name) ?? []).includes(path), `${name} reads ${path} without a Choice checking IsPresent first`);
    }
  }
});
