// The state machine definition against the service API models of the JS SDK v3 clients: Task Parameters
// against the operation's input members, the paths read from task results against the output (Batch's
// JobDetail in Step Functions' PascalCase), and Retry/Catch error names against the names Step Functions
// surfaces for the integration.
import { apiModel, schemaKind } from './aws-specs.js';
import { taskStates } from './iam-check.js';

// Optimized integrations: the service model, the operation, the error prefix Step Functions gives its errors
// ("Call DynamoDB APIs with Step Functions": prefix DynamoDB; "Run AWS Batch workloads": Batch), and the SDK's
// generic exception, which Step Functions surfaces for an error code the model does not define (Batch
// throttling's TooManyRequestsException arrives as Batch.AWSBatchException).
const integrations = {
  'arn:aws:states:::dynamodb:updateItem': { client: '@aws-sdk/client-dynamodb', operation: 'UpdateItem', prefix: 'DynamoDB', generic: 'AmazonDynamoDBException' },
  'arn:aws:states:::dynamodb:getItem': { client: '@aws-sdk/client-dynamodb', operation: 'GetItem', prefix: 'DynamoDB', generic: 'AmazonDynamoDBException' },
  'arn:aws:states:::batch:submitJob.sync': { client: '@aws-sdk/client-batch', operation: 'SubmitJob', result: 'JobDetail', prefix: 'Batch', generic: 'AWSBatchException' },
};

// The error names of the States Language (states-language.net, "Errors").
const statesErrors = ['States.ALL', 'States.HeartbeatTimeout', 'States.Timeout', 'States.TaskFailed', 'States.Permissions', 'States.ResultPathMatchFailure',
  'States.ParameterPathFailure', 'States.QueryEvaluationError', 'States.BranchFailed', 'States.NoChoiceMatched', 'States.IntrinsicFailure',
  'States.ExceedToleratedFailureThreshold', 'States.ItemReaderFailed', 'States.ResultWriterFailed', 'States.Runtime'];

const pascal = (name) => name[0].toUpperCase() + name.slice(1);

/** Names Step Functions surfaces for an integration: "Prefix.Name", Name ending in Exception (the
 * "AWS SDK integrations" page: the suffix is added when the service's own name lacks it). */
export function integrationErrorNames(resource) {
  const integration = integrations[resource];
  const model = apiModel(integration.client);
  return [...model.errors(), integration.generic].map((e) => `${integration.prefix}.${e.endsWith('Exception') ? e : e + 'Exception'}`);
}

/** Problems of `value` (Parameters, with ".$" keys) against structure `name` of `model`; members in PascalCase. */
function checkInput(model, name, value, where, problems) {
  const structure = model.structure(name);
  if (!structure) return;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: must be an object (${name}).`);
    return;
  }
  const members = new Map(structure.members.map((m) => [pascal(m), m]));
  for (const [key, v] of Object.entries(value)) {
    const member = key.endsWith('.$') ? key.slice(0, -2) : key;
    const modelName = members.get(member);
    if (!modelName) {
      problems.push(`${where}: '${member}' is not a member of ${name} (${[...members.keys()].join(', ')}).`);
      continue;
    }
    if (key.endsWith('.$')) continue;
    const kind = schemaKind(structure.member(modelName));
    if (kind.kind === 'structure') checkInput(model, kind.name, v, `${where}.${member}`, problems);
    else if (kind.kind === 'map') {
      const valueKind = schemaKind(kind.value);
      if (valueKind.kind === 'structure') for (const [k, item] of Object.entries(v ?? {})) checkInput(model, valueKind.name, item, `${where}.${member}.${k}`, problems);
    } else if (kind.kind === 'list') {
      if (!Array.isArray(v)) problems.push(`${where}.${member}: must be a list.`);
      else if (schemaKind(kind.element).kind === 'structure') v.forEach((item, i) => checkInput(model, schemaKind(kind.element).name, item, `${where}.${member}[${i}]`, problems));
    }
  }
  structure.members.slice(0, structure.required).forEach((m) => {
    if (!(pascal(m) in value) && !(`${pascal(m)}.$` in value)) problems.push(`${where}: required member '${pascal(m)}' of ${name} is missing.`);
  });
}

/** Whether a dotted path (PascalCase, [n] indexes) exists in structure `name` of `model`. */
export function pathExists(model, name, path) {
  let kind = { kind: 'structure', name };
  for (const step of path.split('.').flatMap((s) => s.split(/(\[\d+\])/).filter(Boolean))) {
    if (/^\[\d+\]$/.test(step)) {
      if (kind.kind !== 'list') return false;
      kind = schemaKind(kind.element);
      continue;
    }
    if (kind.kind === 'map') {
      kind = schemaKind(kind.value);
      continue;
    }
    if (kind.kind !== 'structure') return false;
    const structure = model.structure(kind.name);
    const member = structure.members.find((m) => pascal(m) === step);
    if (!member) return false;
    kind = schemaKind(structure.member(member));
  }
  return true;
}

/**
 * Problems of a definition against the API models. `alsoJobDetail`: more paths that hold a JobDetail (the
 * definition parses a failed .sync job's Cause, which is the job's description, into one).
 */
export function checkDefinition(definition, alsoJobDetail = []) {
  const problems = [];
  const resultPaths = new Map(); // ResultPath -> integration, for the paths later states read
  for (const { name, state } of taskStates(definition)) {
    const integration = integrations[state.Resource];
    if (!integration) {
      problems.push(`${name}: ${state.Resource} is not an integration this check knows.`);
      continue;
    }
    const model = apiModel(integration.client);
    const operation = model.operation(integration.operation);
    if (state.Parameters) checkInput(model, operation.input, state.Parameters, `${name}.Parameters`, problems);
    if (integration.result && state.ResultPath) resultPaths.set(state.ResultPath, { model, name: integration.result });
    const names = new Set(integrationErrorNames(state.Resource));
    for (const rule of [...(state.Retry ?? []), ...(state.Catch ?? [])]) {
      for (const error of rule.ErrorEquals) {
        if (error.startsWith('States.')) {
          if (!statesErrors.includes(error)) problems.push(`${name}: '${error}' is not an error of the States Language.`);
        } else if (!names.has(error)) {
          problems.push(`${name}: '${error}' is not an error Step Functions surfaces for ${state.Resource} (${[...names].join(', ')}).`);
        }
      }
    }
  }
  for (const path of alsoJobDetail) resultPaths.set(path, { model: apiModel('@aws-sdk/client-batch'), name: 'JobDetail' });
  // Every "$.job.X.Y" a state reads (Choice variables, ".$" parameters, intrinsic arguments) must be a member path.
  const text = JSON.stringify(definition);
  for (const [resultPath, { model, name }] of resultPaths) {
    const prefix = resultPath.replace(/[.$[\]]/g, (c) => '\\' + c);
    for (const [, path] of text.matchAll(new RegExp(`(?<![A-Za-z0-9_.$])${prefix}\\.([A-Za-z0-9_.\\[\\]]+)`, 'g'))) {
      if (!pathExists(model, name, path)) problems.push(`'${resultPath}.${path}' is read, but ${name} has no member path ${path}.`);
    }
  }
  return problems;
}

/** Problems of a SubmitJob request (the workflow input's submitJob) against SubmitJobRequest. */
export function checkSubmitJob(request) {
  const problems = [];
  const model = apiModel('@aws-sdk/client-batch');
  checkInput(model, model.operation('SubmitJob').input, request, 'submitJob', problems);
  return problems;
}

/**
 * Problems of the Batch job description parser (Core's BatchJobSummary.Parse, which reads the DescribeJobs
 * JobDetail and the detail of "Batch Job State Change" events): every member it reads, named by a call
 * `Reader(receiver, "member")`, must be a member of the model shape its receiver holds.
 */
export function checkJobDetailParser(source, receivers) {
  const model = apiModel('@aws-sdk/client-batch');
  const problems = [];
  const reads = [...source.matchAll(/\b(?:String|Time|Int|Get)\((\w+(?:\[[^\]]*\])?), "([A-Za-z]+)"\)/g)];
  if (reads.length === 0) problems.push('the parser reads no members: the pattern no longer matches its code.');
  for (const [, receiver, member] of reads) {
    const shape = receivers[receiver.replace(/\[.*\]$/, '[]')];
    if (!shape) {
      problems.push(`the parser reads "${member}" from '${receiver}', whose shape this check does not know.`);
    } else if (!model.structure(shape)?.members.includes(member)) {
      problems.push(`the parser reads "${member}" from ${shape}, which has no such member (${model.structure(shape)?.members.join(', ')}).`);
    }
  }
  return problems;
}
