// The API Gateway mapping templates of template.yaml, rendered with hostile caller input: every
// output must be valid JSON (DynamoDB JSON for requests, the contract's JSON for answers) that
// carries the caller's strings unchanged, and no input may change the template's logic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTemplate, resolve } from './cfn-yaml.js';
import { render, renderGatewayResponse } from './apigateway-vtl.js';

const template = loadTemplate(fileURLToPath(new URL('../template.yaml', import.meta.url)));
const parameters = { TriggerTable: 'BatchPs-TriggerTable-1ABC', CatalogTable: 'BatchPs-CatalogTable-1ABC', RecordRetentionDays: 90, 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1' };
const post = template.Resources.PostTriggerMethod.Properties.Integration;
const get = template.Resources.GetTriggerMethod.Properties.Integration;
const postRequest = resolve(template, post.RequestTemplates['application/json'], parameters);
const postCreated = resolve(template, post.IntegrationResponses.find((r) => r.StatusCode === '202').ResponseTemplates['application/json'], parameters);
const postFailed = resolve(template, post.IntegrationResponses.find((r) => r.SelectionPattern === '400').ResponseTemplates['application/json'], parameters);
const getRequest = resolve(template, get.RequestTemplates['application/json'], parameters);
const getFound = resolve(template, get.IntegrationResponses.find((r) => r.StatusCode === '200').ResponseTemplates['application/json'], parameters);
const getInvalid = resolve(template, get.IntegrationResponses.find((r) => r.SelectionPattern === '400').ResponseTemplates['application/json'], parameters);

const hostile = [
  'plain',
  'double "quotes" and single \'quotes\'',
  'back\\slash \\" \\\\ \\u0041 \\n',
  'new\nline\r\ntab\tform\fbell\u0007nul\u0000',
  'unicode: é ü ß 日本語 🚀 \u2028 \u2029 \u200f\u202e',
  'dollar $context.requestId ${x} $util.escapeJavaScript("a") $!input.path(\'$\')',
  'hash #set($x = 1) #if(true) #end ## comment #* block *#',
  '</script><script>alert(1)</script> {"S": "injected"} "}, "Key": {"triggerId": {"S": "other"}}',
  '',
];

/** Deep equality of two DynamoDB attribute values, as the = comparator sees them (map key order does not count). */
function sameValue(a, b) {
  if (a === undefined || b === undefined) return false;
  const [ta] = Object.keys(a);
  const [tb] = Object.keys(b);
  if (ta !== tb) return false;
  if (ta === 'M') {
    const ka = Object.keys(a.M).sort();
    const kb = Object.keys(b.M).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a.M[k], b.M[k]));
  }
  if (ta === 'N') return Number(a.N) === Number(b.N);
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The ConditionExpression of the POST template evaluated on an item (undefined: no item), as DynamoDB evaluates
 * this shape: attribute_not_exists(#a), #a = :v, joined by AND / OR with one level of brackets.
 */
function conditionHolds(request, item) {
  const names = request.ExpressionAttributeNames;
  const values = request.ExpressionAttributeValues;
  const atom = (text) => {
    const notExists = /^attribute_not_exists\((#\w+)\)$/.exec(text);
    if (notExists) return !item || item[names[notExists[1]]] === undefined;
    const equals = /^(#\w+) = (:\w+)$/.exec(text);
    assert.ok(equals, `the emulator does not know the condition '${text}'`);
    assert.ok(values[equals[2]], `${equals[2]} is not in ExpressionAttributeValues`);
    return !!item && sameValue(item[names[equals[1]]], values[equals[2]]);
  };
  const or = request.ConditionExpression.split(' OR ');
  return or.some((part) => part.replace(/^\((.*)\)$/, '$1').split(' AND ').every(atom));
}

/**
 * A DynamoDB UpdateItem with ReturnValues ALL_NEW, as DynamoDB evaluates this expression shape: on an empty table,
 * or on an existing item. Returns the new item, or throws { conditionFailed, old } when the condition fails.
 */
function applyUpdate(request, existing) {
  const names = request.ExpressionAttributeNames;
  const values = request.ExpressionAttributeValues;
  if (!conditionHolds(request, existing)) throw { conditionFailed: true, old: existing };
  const item = existing ? structuredClone(existing) : { ...request.Key };
  const set = request.UpdateExpression.replace(/^SET /, '').split(/, (?=#)/);
  for (const assignment of set) {
    const [target, expression] = assignment.split(' = ');
    const ifNotExists = /^if_not_exists\((#\w+), (:\w+)\)$/.exec(expression);
    if (ifNotExists) {
      assert.equal(ifNotExists[1], target, 'if_not_exists names the attribute it sets');
      assert.ok(values[ifNotExists[2]], `${ifNotExists[2]} is not in ExpressionAttributeValues`);
      if (item[names[target]] === undefined) item[names[target]] = values[ifNotExists[2]];
      continue;
    }
    const operands = expression.split(' + ').map((v) => values[v]);
    for (const operand of operands) assert.ok(operand, `${expression} names a value that is not in ExpressionAttributeValues`);
    item[names[target]] = operands.length === 1 ? operands[0] : { N: String(operands.reduce((sum, o) => sum + Number(o.N), 0)) };
  }
  const used = new Set(`${request.UpdateExpression} ${request.ConditionExpression}`.match(/[#:][A-Za-z]+/g));
  for (const key of [...Object.keys(names), ...Object.keys(values)]) assert.ok(used.has(key), `${key} is defined but unused (DynamoDB refuses that)`);
  return item;
}

function postTrigger(body, context) {
  const rendered = render(postRequest, { body: JSON.stringify(body), context });
  let request;
  assert.doesNotThrow(() => { request = JSON.parse(rendered.output); }, `not JSON:\n${rendered.output}`);
  return request;
}

test('POST request template writes hostile strings into valid DynamoDB JSON unchanged', () => {
  for (const text of hostile) {
    const parameterValues = Object.fromEntries(hostile.map((v, i) => [`p${i}.x-y_z`, v + text]));
    const request = postTrigger({ jobName: 'nightly-export', client: text, parameters: parameterValues, idempotencyKey: 'key-1' });

    assert.equal(request.TableName, 'BatchPs-TriggerTable-1ABC');
    assert.deepEqual(request.Key, { triggerId: { S: 'k-key-1' } });
    assert.match(request.ConditionExpression, /^attribute_not_exists\(#triggerId\) OR \(/);
    const values = request.ExpressionAttributeValues;
    if (text === '') {
      assert.equal(values[':client'], undefined, 'an empty client is left out');
    } else {
      assert.deepEqual(values[':client'], { S: text });
    }
    assert.deepEqual(values[':jobName'], { S: 'nightly-export' });
    assert.deepEqual(Object.fromEntries(Object.entries(values[':parameters'].M).map(([k, v]) => [k, v.S])), parameterValues);
    applyUpdate(request);
  }
});

test('POST request template stamps RECEIVED, rank 0, version 1, ISO time and the TTL', () => {
  const request = postTrigger({ jobName: 'hello' });
  const item = applyUpdate(request);

  assert.deepEqual(item.triggerId, { S: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' }, 'without a key the request id is the trigger id');
  assert.deepEqual(item.idempotencyKey, { S: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' });
  assert.deepEqual(item.status, { S: 'RECEIVED' });
  assert.deepEqual(item.statusRank, { N: '0' });
  assert.deepEqual(item.version, { N: '1' });
  assert.deepEqual(item.createdAt, { S: '2026-11-24T07:12:47Z' });
  assert.deepEqual(item.parameters, { M: {} });
  assert.deepEqual(item.expiresAt, { N: String(1795763567 + 90 * 86400) });
  // The list indexes' keys, as Core's TriggerItem writes them locally: one partition, createdAt|triggerId.
  assert.deepEqual(item.listPartition, { S: 'triggers' });
  assert.deepEqual(item.createdKey, { S: '2026-11-24T07:12:47Z|c6af9ac6-7b61-11e6-9a41-93e8deadbeef' });
  assert.equal(item.client, undefined);
  assert.equal(item.overrides, undefined);
  assert.equal(request.ReturnValues, 'ALL_NEW');
  assert.equal(request.ReturnValuesOnConditionCheckFailure, 'ALL_OLD');
});

test('POST request template treats null optional fields as absent', () => {
  const request = postTrigger({ jobName: 'hello', client: null, parameters: null, overrides: null, idempotencyKey: null });
  const item = applyUpdate(request);

  assert.deepEqual(item.triggerId, { S: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' });
  assert.deepEqual(item.parameters, { M: {} });
  assert.equal(item.client, undefined);
  assert.equal(item.overrides, undefined);
});

test('POST request template converts every month of $context.requestTime', () => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  months.forEach((month, i) => {
    const request = postTrigger({ jobName: 'hello' }, { requestTime: `05/${month}/2027:23:59:01 +0000` });
    assert.equal(request.ExpressionAttributeValues[':now'].S, `2027-${String(i + 1).padStart(2, '0')}-05T23:59:01Z`);
  });
});

test('POST request template stores overrides with their types', () => {
  const request = postTrigger({ jobName: 'hello', overrides: { arraySize: 10, shareIdentifier: 'teamA', schedulingPriority: 0, timeoutSeconds: 600, retryAttempts: 3 } });
  const item = applyUpdate(request);

  assert.deepEqual(item.overrides, { M: { arraySize: { N: '10' }, shareIdentifier: { S: 'teamA' }, schedulingPriority: { N: '0' }, timeoutSeconds: { N: '600' }, retryAttempts: { N: '3' } } });
});

function recordFrom(rendered) {
  try {
    return JSON.parse(rendered.output);
  } catch (error) {
    assert.fail(`not JSON (${error.message}):\n${rendered.output}`);
  }
}

test('POST answer renders the stored item back to the caller\'s strings', () => {
  for (const text of hostile) {
    const body = { jobName: 'nightly-export', client: text || 'x', parameters: { a: text, 'b.c': text + text }, idempotencyKey: 'abc' };
    const item = applyUpdate(postTrigger(body));
    item.statusReason = { S: text };
    item.arrayStatusSummary = { M: { RUNNABLE: { N: '7' }, SUCCEEDED: { N: '3' } } };
    item.exitCode = { N: '-1' };

    const answer = render(postCreated, { body: JSON.stringify({ Attributes: item }) });
    const record = recordFrom(answer);

    assert.equal(answer.status, undefined, 'the integration response status (202) stands');
    assert.equal(record.triggerId, 'k-abc');
    assert.equal(record.client, body.client);
    assert.equal(record.statusReason, text);
    assert.deepEqual(record.parameters, body.parameters);
    assert.equal(record.status, 'RECEIVED');
    assert.equal(record.version, 1);
    assert.equal(record.exitCode, -1);
    assert.deepEqual(record.arrayStatusSummary, { RUNNABLE: 7, SUCCEEDED: 3 });
    assert.equal(record.statusRank, undefined, 'internal attributes are not part of the record');
    assert.equal(record.expiresAt, undefined);
  }
});

test('The same idempotency key with the same request leaves the trigger as it is and answers 202 with the replay header', () => {
  for (const text of hostile) {
    const body = { jobName: 'hello', client: text, parameters: { a: text, b: 'x' }, overrides: { timeoutSeconds: 60, shareIdentifier: text || 's' }, idempotencyKey: 'same' };
    const first = applyUpdate(postTrigger(body));
    assert.equal(render(postCreated, { body: JSON.stringify({ Attributes: first }) }).headers['BatchPs-Idempotent-Replay'], undefined, 'the first send is no replay');
    first.status = { S: 'RUNNING' };
    first.version = { N: '4' };

    // The same request again, its parameters in another order, from another API Gateway request.
    const again = { ...body, parameters: { b: 'x', a: text } };
    const context = { requestId: 'd00dfeed-0000-4000-8000-000000000001', requestTimeEpoch: 1795763999123, requestTime: '24/Nov/2026:07:19:59 +0000' };
    const replayed = applyUpdate(postTrigger(again, context), first);
    const { expiresAt: _, ...before } = first;
    const { expiresAt: __, ...after } = replayed;
    assert.deepEqual(after, before, 'nothing but the TTL changes');

    const answer = render(postCreated, { body: JSON.stringify({ Attributes: replayed }), context });
    const record = recordFrom(answer);
    assert.equal(answer.headers['BatchPs-Idempotent-Replay'], 'true');
    assert.equal(record.triggerId, 'k-same');
    assert.equal(record.status, 'RUNNING');
    assert.equal(record.client, text || undefined);
  }
});

test('The same idempotency key with a different request fails the condition: 409 IdempotencyKeyConflict naming the stored request', () => {
  const body = { jobName: 'hello', client: 'sql-agent', parameters: { date: '2026-11-24' }, overrides: { timeoutSeconds: 60 }, idempotencyKey: 'same' };
  const existing = applyUpdate(postTrigger(body));
  const different = [
    { ...body, jobName: 'other' },
    { ...body, client: 'cron' },
    { ...body, client: undefined },
    { ...body, parameters: { date: '2026-11-25' } },
    { ...body, parameters: { date: '2026-11-24', extra: 'x' } },
    { ...body, parameters: {} },
    { ...body, overrides: { timeoutSeconds: 61 } },
    { ...body, overrides: undefined },
  ];
  for (const request of different) {
    assert.throws(() => applyUpdate(postTrigger(request), existing), (e) => e.conditionFailed === true, `${JSON.stringify(request)} must not replay`);
  }

  for (const text of hostile) {
    const stored = applyUpdate(postTrigger({ jobName: 'nightly-export', client: text, parameters: { 'p1.x-y_z': text }, overrides: { shareIdentifier: text || 's' }, idempotencyKey: 'abc' }));
    const error = { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: stored };
    const answer = render(postFailed, { body: JSON.stringify(error) });
    const conflict = recordFrom(answer);
    assert.equal(answer.status, 409);
    assert.equal(answer.headers['BatchPs-Idempotent-Replay'], undefined);
    assert.equal(conflict.code, 'IdempotencyKeyConflict');
    assert.equal(conflict.field, 'idempotencyKey');
    assert.ok(conflict.message.includes("Idempotency key 'abc' belongs to trigger k-abc, made from a different request (job 'nightly-export'"), conflict.message);
    assert.ok(conflict.message.includes("parameters 'p1.x-y_z', overrides 'shareIdentifier'"), conflict.message);
    assert.ok(conflict.message.includes(text === '' ? 'client absent' : `client '${text}'`), conflict.message);
  }
});

test('An item too large for DynamoDB answers 413 BodyTooLarge', () => {
  const answer = render(postFailed, { body: JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Item size has exceeded the maximum allowed size' }) });

  assert.equal(answer.status, 413);
  assert.equal(recordFrom(answer).code, 'BodyTooLarge');
});

test('Any other DynamoDB refusal answers 500 InternalError as JSON', () => {
  const answer = render(postFailed, { body: JSON.stringify({ __type: 'com.amazon.coral.service#Weird\'"Exception', message: 'x' }) });

  assert.equal(answer.status, 500);
  assert.equal(recordFrom(answer).code, 'InternalError');
});

test('GET request template escapes a hostile id into a valid key', () => {
  for (const id of hostile.filter((t) => t !== '')) {
    const rendered = render(getRequest, { params: { path: { id } } });
    const request = recordFrom(rendered);
    assert.deepEqual(request.Key, { triggerId: { S: id } });
    assert.equal(request.ConsistentRead, true);
  }
});

test('GET of a missing trigger answers 404 TriggerNotFound, not an empty 200', () => {
  for (const id of hostile) {
    const answer = render(getFound, { body: '{}', params: { path: { id } } });
    const body = recordFrom(answer);
    assert.equal(answer.status, 404);
    assert.equal(body.code, 'TriggerNotFound');
    assert.ok(body.message.includes(id), 'the message names the id');
  }
  const invalid = render(getInvalid, { body: '{"__type":"ValidationException"}', params: { path: { id: 'x'.repeat(3000) } } });
  assert.equal(recordFrom(invalid).code, 'TriggerNotFound');
});

test('GET of a stored trigger answers the record', () => {
  const item = applyUpdate(postTrigger({ jobName: 'hello', parameters: { 'a': '$x #y' } }));
  item.executionId = { S: 'arn:aws:states:eu-west-1:123456789012:execution:M:c6af9ac6' };

  const answer = render(getFound, { body: JSON.stringify({ Item: item }), params: { path: { id: item.triggerId.S } } });
  const record = recordFrom(answer);

  assert.equal(answer.status, undefined);
  assert.equal(record.executionId, item.executionId.S);
  assert.deepEqual(record.parameters, { a: '$x #y' });
});

test('Gateway responses are JSON with the contract codes, rendered without VTL as API Gateway does, whatever the error message', () => {
  const expected = {
    BAD_REQUEST_BODY: ['400', 'InvalidRequest'], INVALID_API_KEY: ['403', 'Forbidden'], ACCESS_DENIED: ['403', 'Forbidden'],
    MISSING_AUTHENTICATION_TOKEN: ['404', 'NotFound'], THROTTLED: ['429', 'Throttled'], QUOTA_EXCEEDED: ['429', 'Throttled'],
    REQUEST_TOO_LARGE: ['413', 'BodyTooLarge'], UNSUPPORTED_MEDIA_TYPE: ['415', 'UnsupportedMediaType'],
    DEFAULT_4XX: [undefined, 'InvalidRequest'], DEFAULT_5XX: [undefined, 'InternalError'],
  };
  const responses = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse');
  assert.deepEqual(responses.map((r) => r.Properties.ResponseType).sort(), Object.keys(expected).sort());
  for (const response of responses) {
    const [status, code] = expected[response.Properties.ResponseType];
    const text = response.Properties.ResponseTemplates['application/json'];
    assert.doesNotMatch(text, /\$util|#set|#if|#foreach|\$input/, `${response.Properties.ResponseType}: VTL in a gateway response stays in the body as text`);
    for (const message of hostile) {
      const rendered = renderGatewayResponse(text, {
        context: { error: { validationErrorString: `[${message}]`, message, messageString: JSON.stringify(message), responseType: response.Properties.ResponseType } },
      });
      const body = recordFrom(rendered);
      assert.equal(response.Properties.StatusCode, status);
      assert.equal(body.code, code);
      if (text.includes('$context.error.messageString')) assert.equal(body.message, message);
    }
  }
});

test('Gateway response rendering substitutes variables only, as API Gateway does', () => {
  const rendered = renderGatewayResponse('{"a": $context.error.messageString, "b": "$util.escapeJavaScript($context.requestId)"}', {
    context: { error: { messageString: '"x"' } },
  });
  assert.equal(rendered.output, '{"a": "x", "b": "$util.escapeJavaScript(c6af9ac6-7b61-11e6-9a41-93e8deadbeef)"}');
});

// ---------------------------------------------------------------- POST /triggers/{id}/cancel
const cancel = template.Resources.CancelTriggerMethod.Properties.Integration;
const cancelRequest = resolve(template, cancel.RequestTemplates['application/json'], parameters);
const cancelDone = resolve(template, cancel.IntegrationResponses.find((r) => r.StatusCode === '200').ResponseTemplates['application/json'], parameters);
const cancelFailed = resolve(template, cancel.IntegrationResponses.find((r) => r.SelectionPattern === '400').ResponseTemplates['application/json'], parameters);

/**
 * DynamoDB's UpdateItem of the cancel request on a stored item, as DynamoDB evaluates this expression shape
 * ("SET a = :x, ... ADD #version :one" under "attribute_exists(#triggerId) AND #rank < :rank"): the new item, or
 * null when the condition fails. Every name and value must be used, as DynamoDB demands.
 */
function applyCancel(request, stored) {
  const names = request.ExpressionAttributeNames;
  const values = request.ExpressionAttributeValues;
  const used = new Set(`${request.UpdateExpression} ${request.ConditionExpression}`.match(/[#:][A-Za-z]+/g));
  for (const key of [...Object.keys(names), ...Object.keys(values)]) assert.ok(used.has(key), `${key} is defined but unused (DynamoDB refuses that)`);
  assert.equal(request.ConditionExpression, 'attribute_exists(#triggerId) AND #rank < :rank');
  if (!stored || !(Number(stored[names['#rank']].N) < Number(values[':rank'].N))) return null;
  const match = /^SET (.*) ADD (#[A-Za-z]+) (:[A-Za-z]+)$/.exec(request.UpdateExpression);
  assert.ok(match, `unexpected update expression ${request.UpdateExpression}`);
  const item = structuredClone(stored);
  for (const assignment of match[1].split(', ')) {
    const [target, value] = assignment.split(' = ');
    assert.ok(values[value], `${value} is not in ExpressionAttributeValues`);
    item[names[target]] = values[value];
  }
  item[names[match[2]]] = { N: String(Number(item[names[match[2]]].N) + Number(values[match[3]].N)) };
  return item;
}

function storedTrigger(status, rank) {
  const item = applyUpdate(postTrigger({ jobName: 'hello', client: 'sender', idempotencyKey: 'c1' }));
  item.status = { S: status };
  item.statusRank = { N: String(rank) };
  return item;
}

function cancelRender(id, body) {
  const rendered = render(cancelRequest, { body: body === undefined ? '' : JSON.stringify(body), params: { path: { id } } });
  return recordFrom(rendered);
}

test('Cancel request template writes hostile ids, reasons and clients into valid DynamoDB JSON unchanged', () => {
  for (const text of hostile.filter((t) => t !== '')) {
    const request = cancelRender(text, { reason: text, client: text });
    assert.equal(request.TableName, 'BatchPs-TriggerTable-1ABC');
    assert.deepEqual(request.Key, { triggerId: { S: text } });
    assert.deepEqual(request.ExpressionAttributeValues[':reason'], { S: text });
    assert.deepEqual(request.ExpressionAttributeValues[':client'], { S: text });
    assert.equal(request.ReturnValues, 'ALL_NEW');
    assert.equal(request.ReturnValuesOnConditionCheckFailure, 'ALL_OLD');
    const item = applyCancel(request, storedTrigger('RUNNING', 6));
    assert.deepEqual(item.statusReason, { S: text });
    assert.deepEqual(item.cancelledBy, { S: text });
  }
});

test('Cancel of a running trigger makes it CANCELLED at the final rank, bumps the version, stamps cancelRequestedAt', () => {
  const stored = storedTrigger('RUNNING', 6);
  const item = applyCancel(cancelRender('k-c1', undefined), stored);

  assert.deepEqual(item.status, { S: 'CANCELLED' });
  assert.deepEqual(item.statusRank, { N: '7' }, 'the item codec\'s rank of CANCELLED (final)');
  assert.deepEqual(item.version, { N: '2' });
  assert.deepEqual(item.statusReason, { S: 'Cancelled by request.' }, 'no body: the default reason');
  assert.deepEqual(item.cancelRequestedAt, { S: '2026-11-24T07:12:47Z' });
  assert.deepEqual(item.statusChangedAt, { S: '2026-11-24T07:12:47Z' });
  assert.equal(item.cancelledBy, undefined, 'no client: cancelledBy stays absent (null)');
  assert.deepEqual(item.client, { S: 'sender' }, 'the sender\'s label is kept');

  const answer = render(cancelDone, { body: JSON.stringify({ Attributes: item }), params: { path: { id: 'k-c1' } } });
  const record = recordFrom(answer);
  assert.equal(answer.status, undefined, 'the integration response status (200) stands');
  assert.equal(record.status, 'CANCELLED');
  assert.equal(record.cancelRequestedAt, '2026-11-24T07:12:47Z');
  assert.equal(record.version, 2);
});

test('Cancel with null or empty reason and client writes the default reason and no cancelledBy', () => {
  for (const body of [{ reason: null, client: null }, { reason: '', client: '' }, {}]) {
    const request = cancelRender('k-c1', body);
    assert.deepEqual(request.ExpressionAttributeValues[':reason'], { S: 'Cancelled by request.' });
    assert.equal(request.ExpressionAttributeValues[':client'], undefined);
    applyCancel(request, storedTrigger('RECEIVED', 0));
  }
});

test('Cancel of every final status is refused by the condition; only the final rank blocks it', () => {
  for (const [status, rank] of [['RECEIVED', 0], ['STARTED', 1], ['SUBMITTED', 2], ['PENDING', 3], ['RUNNABLE', 4], ['STARTING', 5], ['RUNNING', 6]]) {
    assert.ok(applyCancel(cancelRender('k-c1', {}), storedTrigger(status, rank)), `${status} can be cancelled`);
  }
  for (const status of ['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELLED']) {
    assert.equal(applyCancel(cancelRender('k-c1', {}), storedTrigger(status, 7)), null, `${status} cannot`);
  }
  assert.equal(applyCancel(cancelRender('k-c1', {}), undefined), null, 'a missing record cannot');
});

const conditionFailed = (item) => JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', ...(item ? { Item: item } : {}) });

test('Cancel of an already cancelled trigger answers 200 with the record unchanged (idempotent)', () => {
  const first = applyCancel(cancelRender('k-c1', { reason: 'first "why"', client: 'ops' }), storedTrigger('RUNNING', 6));
  const answer = render(cancelFailed, { body: conditionFailed(first), params: { path: { id: 'k-c1' } } });
  const record = recordFrom(answer);

  assert.equal(answer.status, 200);
  assert.equal(record.status, 'CANCELLED');
  assert.equal(record.statusReason, 'first "why"');
  assert.equal(record.cancelledBy, 'ops');
  assert.equal(record.version, 2);
});

test('Cancel of a trigger that ended otherwise answers 409 TriggerAlreadyFinal naming the status', () => {
  for (const status of ['SUCCEEDED', 'FAILED', 'REJECTED']) {
    for (const id of hostile.filter((t) => t !== '')) {
      const answer = render(cancelFailed, { body: conditionFailed(storedTrigger(status, 7)), params: { path: { id } } });
      const body = recordFrom(answer);
      assert.equal(answer.status, 409);
      assert.equal(body.code, 'TriggerAlreadyFinal');
      assert.equal(body.message, `Trigger ${id} already ended with status ${status}; only a trigger that has not ended can be cancelled.`);
    }
  }
});

test('Cancel of an unknown id answers 404 TriggerNotFound naming the id; other refusals 500 as JSON', () => {
  for (const id of hostile.filter((t) => t !== '')) {
    for (const body of [conditionFailed(undefined), '{"__type":"com.amazon.coral.validate#ValidationException","message":"key too long"}']) {
      const answer = render(cancelFailed, { body, params: { path: { id } } });
      const error = recordFrom(answer);
      assert.equal(answer.status, undefined, 'the integration response status (404) stands');
      assert.equal(error.code, 'TriggerNotFound');
      assert.ok(error.message.includes(id));
    }
  }
  const other = render(cancelFailed, { body: '{"__type":"com.amazon.coral.service#Weird\'\\"Exception"}', params: { path: { id: 'x' } } });
  assert.equal(other.status, 500);
  assert.equal(recordFrom(other).code, 'InternalError');
  assert.equal(cancel.IntegrationResponses.find((r) => r.SelectionPattern === '400').StatusCode, '404');
});

