// Renders API Gateway REST API mapping templates the way API Gateway does, as its "Variables for
// data transformations" reference describes them, on velocityjs (a JavaScript Velocity engine):
//   $input.path(x)   - the JSONPath result as an object (a map, list or value) to use in the template
//   $input.json(x)   - the JSONPath result serialized as JSON text (strings come out quoted and escaped)
//   $input.params(n) - the path, query string or header parameter n
//   $util.escapeJavaScript(s) - JavaScript string escaping (Apache Commons Lang 2 escapeJavaScript:
//                      ' " \ / escaped, control characters as \b \t \n \f \r or \u00XX, every
//                      character above 0x7F as \uXXXX) - single quotes become \' (not valid JSON)
//   $context.*       - request context; $context.responseOverride.status / .header.NAME set overrides
// Java's String and Map methods that templates call (contains, replaceAll with a regular expression,
// length(), get, keySet, size) behave as in Java.
import { Compile, parse } from 'velocityjs';
import { JSONPath } from 'jsonpath-plus';

export function escapeJavaScript(text) {
  if (text === null || text === undefined) return '';
  let out = '';
  const s = String(text);
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    const hex = ch.toString(16).toUpperCase();
    if (ch > 0xfff) out += '\\u' + hex;
    else if (ch > 0xff) out += '\\u0' + hex;
    else if (ch > 0x7f) out += '\\u00' + hex;
    else if (ch < 32) {
      switch (ch) {
        case 8: out += '\\b'; break;
        case 10: out += '\\n'; break;
        case 9: out += '\\t'; break;
        case 12: out += '\\f'; break;
        case 13: out += '\\r'; break;
        default: out += (ch > 0xf ? '\\u00' : '\\u000') + hex;
      }
    } else {
      switch (s[i]) {
        case "'": out += "\\'"; break;
        case '"': out += '\\"'; break;
        case '\\': out += '\\\\'; break;
        case '/': out += '\\/'; break;
        default: out += s[i];
      }
    }
  }
  return out;
}

// JSON null and a missing path are both Java's null in API Gateway: undefined here, so that, as in
// Java Velocity, #set with it leaves the variable unset and $!x renders nothing.
function jsonPath(document, path) {
  if (path === '$') return document ?? undefined;
  const result = JSONPath({ path, json: document, wrap: true });
  if (!result || result.length === 0) return undefined;
  return result.length === 1 ? result[0] ?? undefined : result;
}

// Java's String.compareTo: by UTF-16 code unit (ordinal), negative, zero or positive.
function compareUtf16(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
  return a.length - b.length;
}

// JSON null is Java's null after $util.parseJson too: undefined here (see jsonPath); a map keeps the key.
function withoutNulls(value) {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

// Java String methods that JavaScript strings lack or name differently.
const javaStringMethods = [
  { uid: 'java: contains', match: ({ property, context }) => property === 'contains' && typeof context === 'string', resolve: ({ context, params }) => context.includes(String(params[0])) },
  { uid: 'java: length', match: ({ property, context }) => property === 'length' && typeof context === 'string', resolve: ({ context }) => context.length },
  { uid: 'java: compareTo', match: ({ property, context }) => property === 'compareTo' && typeof context === 'string', resolve: ({ context, params }) => compareUtf16(context, String(params[0])) },
  { uid: 'java: equals', match: ({ property, context }) => property === 'equals' && typeof context === 'string', resolve: ({ context, params }) => context === String(params[0]) },
  {
    uid: 'java: replaceAll',
    match: ({ property, context }) => property === 'replaceAll' && typeof context === 'string',
    // Java's replaceAll takes a regular expression; '$' and '\' in the replacement are special in both.
    resolve: ({ context, params }) => context.replace(new RegExp(String(params[0]), 'g'), String(params[1])),
  },
];

/**
 * Renders a mapping template. `request` = { body (text), params: {path, querystring, header}, context }.
 * Returns { output, status, headers } - status/headers hold $context.responseOverride values.
 */
export function render(template, request) {
  const body = request.body === undefined || request.body === '' ? {} : JSON.parse(request.body);
  const params = { path: {}, querystring: {}, header: {}, ...(request.params ?? {}) };
  const context = {
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    requestTime: '24/Nov/2026:07:12:47 +0000',
    requestTimeEpoch: 1795763567123,
    error: {},
    ...(request.context ?? {}),
    responseOverride: { header: {} },
  };
  const input = {
    path: (p) => jsonPath(body, p),
    json: (p) => JSON.stringify(jsonPath(body, p) ?? null),
    params: (name) => {
      if (name === undefined) return params;
      for (const kind of ['path', 'querystring', 'header']) if (name in params[kind]) return params[kind][name];
      return '';
    },
    body: request.body ?? '',
  };
  const util = {
    escapeJavaScript,
    parseJson: (text) => withoutNulls(JSON.parse(text)),
    urlEncode: (text) => encodeURIComponent(text),
    urlDecode: (text) => decodeURIComponent(text),
    base64Encode: (text) => Buffer.from(String(text)).toString('base64'),
    base64Decode: (text) => Buffer.from(String(text), 'base64').toString(),
  };
  const compiled = new Compile(parse(template), { customMethodHandlers: javaStringMethods });
  const output = compiled.render({ input, util, context });
  return { output, status: context.responseOverride.status, headers: context.responseOverride.header };
}

/**
 * Renders a gateway response template as API Gateway does: it "isn't processed by the Velocity Template
 * Language (VTL) engine" and supports only simple variable substitution (the x-amazon-apigateway-gateway-
 * responses.responseTemplates page). Each $context.a.b (and $stageVariables.x) is replaced by its value as
 * text; everything else, #set, $util calls and method calls included, stays in the body as written.
 */
export function renderGatewayResponse(template, request) {
  const context = { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', error: {}, ...(request?.context ?? {}) };
  const stageVariables = request?.stageVariables ?? {};
  const output = template.replace(/\$(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)/g, (whole, root, path) => {
    let value = root === 'context' ? context : stageVariables;
    for (const name of path.slice(1).split('.')) value = value?.[name];
    return value === undefined || value === null ? '' : String(value);
  });
  return { output };
}
