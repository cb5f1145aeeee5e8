// A CloudFormation template checked against the resource schemas of @aws-cdk/aws-service-spec: resource
// types, property names, nesting, list/map/scalar shapes, required properties, enum values (from the API
// models, where the schema has none), GetAtt attributes, Refs, Conditions and DependsOn that resolve, and a
// conditional resource referenced only where it exists. Returns the problems found, one sentence each.
import { cloudFormationSpec } from './aws-specs.js';

const pseudoParameters = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

/** Properties `aws cloudformation package` rewrites from a local path to an S3 location (AWS CLI `package` reference). */
export const packageableProperties = { 'AWS::Lambda::Function': 'Code', 'AWS::StepFunctions::StateMachine': 'DefinitionS3Location' };

/**
 * The template as `aws cloudformation package` (and the admin cmdlets' TemplatePackager) leave it: each
 * packageable property given as a local path becomes its S3 location.
 */
export function packaged(template) {
  const copy = structuredClone(template);
  for (const resource of Object.values(copy.Resources)) {
    const property = packageableProperties[resource.Type];
    if (property && typeof resource.Properties?.[property] === 'string') {
      resource.Properties[property] = resource.Type === 'AWS::Lambda::Function'
        ? { S3Bucket: 'artifact-bucket', S3Key: 'batchps/0123abcd.zip' }
        : { Bucket: 'artifact-bucket', Key: 'batchps/4567cdef.json' };
    }
  }
  return copy;
}

function isIntrinsic(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/**
 * @param template the loaded template (cfn-yaml.js long forms)
 * @param options.enums { "Type.Property.Path": [allowed values] } from the API models
 * @param options.unpackaged true: packageable properties may still be local paths
 */
export function checkTemplate(template, options = {}) {
  const spec = cloudFormationSpec();
  const problems = [];
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};
  const enums = options.enums ?? {};

  const checkCondition = (name, where) => {
    if (!(name in conditions)) problems.push(`${where}: condition '${name}' is not in Conditions.`);
  };

  // References from `where` (a resource with condition `ownCondition`, guarded by the Fn::If conditions
  // in `guards`) to resource `target`: it must exist, and a conditional one only where it exists.
  const checkTarget = (target, where, ownCondition, guards, what) => {
    const resource = resources[target];
    if (!resource) return false;
    const condition = resource.Condition;
    if (condition && condition !== ownCondition && !guards.includes(condition)) {
      problems.push(`${where}: ${what} '${target}' exists only when '${condition}' holds, but is used outside !If ${condition}.`);
    }
    return true;
  };

  const checkGetAtt = (args, where, ownCondition, guards) => {
    const [target, ...rest] = Array.isArray(args) ? args : String(args).split('.');
    const attribute = rest.join('.');
    if (!checkTarget(target, where, ownCondition, guards, 'GetAtt of')) {
      problems.push(`${where}: GetAtt names '${target}', which is not a resource.`);
      return;
    }
    const type = spec.resource(resources[target].Type);
    if (type && !(attribute in (type.attributes ?? {}))) {
      problems.push(`${where}: ${resources[target].Type} has no attribute '${attribute}' (it has ${Object.keys(type.attributes ?? {}).join(', ') || 'none'}).`);
    }
  };

  const checkSub = (text, variables, where, ownCondition, guards) => {
    for (const [, bang, name] of String(text).matchAll(/\$\{(!?)([A-Za-z0-9_.:]+)\}/g)) {
      if (bang || name in variables) continue;
      if (name.includes('.') && !pseudoParameters.has(name)) checkGetAtt(name.split('.'), where, ownCondition, guards);
      else checkRef(name, where, ownCondition, guards);
    }
  };

  const checkRef = (name, where, ownCondition, guards) => {
    if (pseudoParameters.has(name) || name in parameters) return;
    if (!checkTarget(name, where, ownCondition, guards, 'Ref to')) problems.push(`${where}: Ref '${name}' is neither a parameter nor a resource.`);
  };

  // Every intrinsic function anywhere in a value: references resolve, conditions exist.
  const walkIntrinsics = (value, where, ownCondition, guards = []) => {
    if (Array.isArray(value)) return value.forEach((v) => walkIntrinsics(v, where, ownCondition, guards));
    if (!value || typeof value !== 'object') return;
    for (const [key, arg] of Object.entries(value)) {
      if (key === 'Ref') checkRef(arg, where, ownCondition, guards);
      else if (key === 'Fn::GetAtt') checkGetAtt(arg, where, ownCondition, guards);
      else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
        checkSub(text, variables ?? {}, where, ownCondition, guards);
        walkIntrinsics(variables, where, ownCondition, guards);
      } else if (key === 'Fn::If') {
        const [condition, whenTrue, whenFalse] = arg;
        checkCondition(condition, where);
        walkIntrinsics(whenTrue, where, ownCondition, [...guards, condition]);
        walkIntrinsics(whenFalse, where, ownCondition, guards);
      } else if (key === 'Condition' && typeof arg === 'string' && Object.keys(value).length === 1) {
        checkCondition(arg, where);
      } else {
        walkIntrinsics(arg, where, ownCondition, guards);
      }
    }
  };

  // A value against a property type of the spec.
  const checkValue = (value, type, where, path) => {
    if (isIntrinsic(value)) {
      const [key, arg] = Object.entries(value)[0];
      if (key === 'Fn::If') {
        for (const branch of [arg[1], arg[2]]) {
          if (!(isIntrinsic(branch) && branch.Ref === 'AWS::NoValue')) checkValue(branch, type, where, path);
        }
      } else if (type.type === 'ref' && key !== 'Ref' && key !== 'Fn::GetAtt' && key !== 'Fn::FindInMap' && key !== 'Fn::Transform') {
        problems.push(`${where}: ${key} gives a string or list, but the property is an object.`);
      }
      return;
    }
    switch (type.type) {
      case 'string': case 'date-time':
        if (typeof value !== 'string') problems.push(`${where}: must be a string, not ${JSON.stringify(value)}.`);
        else if (enums[path] && !enums[path].includes(value)) problems.push(`${where}: '${value}' is not one of ${enums[path].join(', ')}.`);
        break;
      case 'integer': case 'number':
        if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) problems.push(`${where}: must be a number, not ${JSON.stringify(value)}.`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') problems.push(`${where}: must be a boolean, not ${JSON.stringify(value)}.`);
        break;
      case 'json':
        if (typeof value !== 'object' && typeof value !== 'string') problems.push(`${where}: must be a JSON object.`);
        break;
      case 'tag':
        checkObject(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, where, path);
        break;
      case 'array':
        if (!Array.isArray(value)) problems.push(`${where}: must be a list, not ${JSON.stringify(value)}.`);
        else value.forEach((v, i) => checkValue(v, type.element, `${where}[${i}]`, path));
        break;
      case 'map':
        if (!value || typeof value !== 'object' || Array.isArray(value)) problems.push(`${where}: must be a map.`);
        else for (const [k, v] of Object.entries(value)) checkValue(v, type.element, `${where}.${k}`, `${path}.*`);
        break;
      case 'ref': {
        const definition = spec.typeDefinition(type.reference.$ref);
        checkObject(value, definition.properties, where, path);
        break;
      }
      case 'union': {
        const before = problems.length;
        const fits = type.types.some((t) => {
          const mark = problems.length;
          checkValue(value, t, where, path);
          const ok = problems.length === mark;
          problems.length = mark;
          return ok;
        });
        problems.length = before;
        if (!fits) problems.push(`${where}: fits none of its types (${type.types.map((t) => t.type).join(', ')}).`);
        break;
      }
      default:
        problems.push(`${where}: the spec's type '${type.type}' is not understood by this check.`);
    }
  };

  const checkObject = (value, properties, where, path) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: must be an object, not ${JSON.stringify(value)}.`);
      return;
    }
    for (const [name, v] of Object.entries(value)) {
      if (!(name in properties)) {
        problems.push(`${where}: '${name}' is not a property (known: ${Object.keys(properties).join(', ')}).`);
        continue;
      }
      checkValue(v, properties[name].type, `${where}.${name}`, `${path}.${name}`);
    }
    for (const [name, p] of Object.entries(properties)) {
      if (p.required && !(name in value)) problems.push(`${where}: required property '${name}' is missing.`);
    }
  };

  for (const [name, p] of Object.entries(parameters)) {
    if (p.Default !== undefined && p.AllowedValues && !p.AllowedValues.map(String).includes(String(p.Default))) {
      problems.push(`Parameters.${name}: the default '${p.Default}' is not one of its AllowedValues.`);
    }
  }
  for (const [name, condition] of Object.entries(conditions)) walkIntrinsics(condition, `Conditions.${name}`, undefined);

  for (const [name, resource] of Object.entries(resources)) {
    const where = `Resources.${name}`;
    const type = spec.resource(resource.Type);
    if (!type) {
      problems.push(`${where}: '${resource.Type}' is not a CloudFormation resource type.`);
      continue;
    }
    if (resource.Condition) checkCondition(resource.Condition, where);
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!(target in resources)) problems.push(`${where}: DependsOn '${target}', which is not a resource.`);
      else if (resources[target].Condition && resources[target].Condition !== resource.Condition) {
        problems.push(`${where}: DependsOn '${target}', which exists only when '${resources[target].Condition}' holds; when it does not, ${name} is not created either.`);
      }
    }
    walkIntrinsics(resource.Properties ?? {}, where, resource.Condition);
    walkIntrinsics(resource.Metadata ?? {}, `${where}.Metadata`, resource.Condition);
    const properties = { ...(resource.Properties ?? {}) };
    const localPath = packageableProperties[resource.Type];
    if (options.unpackaged && localPath && typeof properties[localPath] === 'string') delete properties[localPath];
    const required = Object.fromEntries(Object.entries(type.properties).map(([k, p]) => [k, options.unpackaged && k === localPath ? { ...p, required: false } : p]));
    checkObject(properties, required, where, resource.Type);
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition) checkCondition(output.Condition, `Outputs.${name}`);
    walkIntrinsics(output.Value, `Outputs.${name}`, output.Condition);
  }
  return problems;
}
