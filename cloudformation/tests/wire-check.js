// The hand-written AWS clients' requests (fixtures written by the C# tests from what each client put on the
// wire) against the JS SDK v3's request for the same input: method, path, query, protocol headers
// (content-type media type, x-amz-target, accept) and body (JSON or form fields, order aside).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The JS SDK's HTTP request for `command` with `input`, captured by a request handler that sends nothing. */
export async function sdkRequest(client, command, input) {
  const sdk = require(client);
  const clientClass = Object.entries(sdk).find(([name, value]) => name.endsWith('Client') && !name.startsWith('_') && typeof value === 'function' && value.prototype?.send)[1];
  let captured;
  const requestHandler = {
    handle: async (request) => {
      captured = request;
      throw new Error('captured, not sent');
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const instance = new clientClass({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler, maxAttempts: 1 });
  await instance.send(new sdk[command](input)).catch(() => {});
  if (!captured) throw new Error(`${command}: the SDK built no request`);
  return captured;
}

const header = (headers, name) => Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
const mediaType = (value) => value?.split(';')[0].trim().toLowerCase();
const form = (text) => Object.fromEntries([...new URLSearchParams(text ?? '')].sort(([a], [b]) => a.localeCompare(b)));

/** Problems of a recorded request against the SDK's request for the fixture's input. */
export async function compareWithSdk(fixture) {
  const sdk = await sdkRequest(fixture.client, fixture.command, fixture.input);
  const ours = fixture.request;
  const problems = [];
  const where = fixture.command;
  const [path, query = ''] = ours.pathAndQuery.split('?');
  if (ours.method !== sdk.method) problems.push(`${where}: method ${ours.method}, the SDK sends ${sdk.method}.`);
  if (decodeURIComponent(path) !== decodeURIComponent(sdk.path)) problems.push(`${where}: path ${path}, the SDK sends ${sdk.path}.`);
  const sdkQuery = Object.fromEntries(Object.entries(sdk.query ?? {}).map(([k, v]) => [k, String(v)]).sort(([a], [b]) => a.localeCompare(b)));
  if (JSON.stringify(form(query)) !== JSON.stringify(sdkQuery)) problems.push(`${where}: query ${JSON.stringify(form(query))}, the SDK sends ${JSON.stringify(sdkQuery)}.`);
  for (const name of ['content-type', 'x-amz-target', 'accept']) {
    const expected = header(sdk.headers, name);
    const actual = ours.headers[name];
    if (name === 'content-type' && !sdk.body) continue; // no body, no content type to agree on
    const same = name === 'content-type' ? mediaType(actual) === mediaType(expected) : actual === expected;
    if (!same) problems.push(`${where}: ${name} ${actual ?? '(none)'}, the SDK sends ${expected ?? '(none)'}.`);
  }
  const type = mediaType(header(sdk.headers, 'content-type'));
  const sdkBody = typeof sdk.body === 'string' ? sdk.body : sdk.body ? Buffer.from(sdk.body).toString() : '';
  if (type?.includes('json')) {
    const parse = (text) => (text ? JSON.parse(text) : {});
    if (JSON.stringify(sortKeys(parse(ours.body))) !== JSON.stringify(sortKeys(parse(sdkBody)))) problems.push(`${where}: body ${ours.body}, the SDK sends ${sdkBody}.`);
  } else if (type === 'application/x-www-form-urlencoded') {
    if (JSON.stringify(form(ours.body)) !== JSON.stringify(form(sdkBody))) problems.push(`${where}: form ${JSON.stringify(form(ours.body))}, the SDK sends ${JSON.stringify(form(sdkBody))}.`);
  } else if ((ours.body ?? '') !== sdkBody) {
    problems.push(`${where}: body ${ours.body}, the SDK sends ${sdkBody}.`);
  }
  return problems;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}
