// What each role of the template must hold, derived from what calls AWS with it: the state machine
// definition's Task resources, the Lambda's event source mapping, destinations and code, and API Gateway's
// AWS integrations. Each need says which page or file it comes from.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveArns, sample, taskStates } from './iam-check.js';

const arn = (service, resource) => `arn:${sample.partition}:${service}:${sample.region}:${sample.account}:${resource}`;
const jobArn = arn('batch', 'job/0f2c1e3a-5b6d-4c7e-8f90-123456789abc');

/** The role a resource runs with: its RoleArn / Role / Credentials, a GetAtt of a role. */
const roleOf = (value) => value?.['Fn::GetAtt']?.[0];

/** Step Functions actions on an execution of the machine, not on the machine. */
const executionActions = new Set(['states:StopExecution', 'states:GetExecutionHistory', 'states:DescribeExecution']);

/** The table a DynamoDB request names: a ${Placeholder} of the state machine's substitutions, or of Fn::Sub. */
function tableArn(template, tableName, substitutions) {
  const placeholder = /^\$\{([A-Za-z0-9_]+)\}$/.exec(tableName)?.[1];
  if (!placeholder) throw new Error(`Table name ${tableName} is not a placeholder this check can follow`);
  const value = substitutions?.[placeholder] ?? { Ref: placeholder };
  const id = value.Ref;
  if (template.Resources[id]?.Type !== 'AWS::DynamoDB::Table') throw new Error(`${tableName} is not a table of the template`);
  return resolveArns(template, { 'Fn::GetAtt': [id, 'Arn'] }, {})[0];
}

/**
 * @param definition the state machine definition (JSON)
 * @param lambdaSources [{ file, text }] of the Lambda package's code and the AWS clients it uses
 * @param parameterSamples sample values of the list parameters (job queues, job definitions)
 */
export function deriveNeeds(template, definition, lambdaSources, parameterSamples) {
  const needs = [];
  const resources = template.Resources;

  // The state machine: its role, per Task resource ("IAM policies for ..." pages of the Step Functions guide).
  for (const machine of Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')) {
    const role = roleOf(machine.Properties.RoleArn);
    const substitutions = machine.Properties.DefinitionSubstitutions;
    for (const { name, state } of taskStates(definition)) {
      const dynamo = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/.exec(state.Resource);
      if (dynamo) {
        const action = `dynamodb:${dynamo[1][0].toUpperCase()}${dynamo[1].slice(1)}`;
        needs.push({ role, action, arn: tableArn(template, state.Parameters.TableName, substitutions), why: `state '${name}', Step Functions "IAM policies for Amazon DynamoDB"` });
      } else if (state.Resource === 'arn:aws:states:::batch:submitJob.sync') {
        const why = `state '${name}', Step Functions "IAM policies for AWS Batch" (Run a Job .sync) and the Service Authorization Reference's SubmitJob`;
        const queues = [parameterSamples.JobQueueArns, Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Batch::JobQueue').map((id) => resolveArns(template, { Ref: id }, {})[0])].flat();
        const definitions = [parameterSamples.JobDefinitionArns.map((d) => d.replace(/:\*$/, ':7')), Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Batch::JobDefinition').map((id) => resolveArns(template, { Ref: id }, {})[0])].flat();
        for (const queue of queues) needs.push({ role, action: 'batch:SubmitJob', arn: queue, why });
        for (const jobDefinition of definitions) needs.push({ role, action: 'batch:SubmitJob', arn: jobDefinition, why });
        needs.push({ role, action: 'batch:SubmitJob', arn: jobArn, why });
        needs.push({ role, action: 'batch:DescribeJobs', arn: '*', why });
        needs.push({ role, action: 'batch:TerminateJob', arn: jobArn, why });
        for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
          needs.push({ role, action, arn: arn('events', 'rule/StepFunctionsGetEventsForBatchJobsRule'), why });
        }
        if (JSON.stringify(state).includes('"Tags')) needs.push({ role, action: 'batch:TagResource', arn: jobArn, why: `state '${name}' submits with tags (SubmitJob's tag-on-create)` });
      } else {
        throw new Error(`State '${name}': no needs known for ${state.Resource}; add them here with the page that names them.`);
      }
    }
  }

  // The Lambda functions: stream event source, failure destinations, log group, and the calls in its code.
  for (const [id, fn] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
    const role = roleOf(fn.Properties.Role);
    for (const mapping of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName?.Ref === id)) {
      const stream = resolveArns(template, mapping.Properties.EventSourceArn, parameterSamples)[0];
      const why = 'Lambda "Using Lambda with DynamoDB" (execution role permissions for a stream event source)';
      for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) needs.push({ role, action, arn: stream, why });
      needs.push({ role, action: 'dynamodb:ListStreams', arn: '*', why });
      const onFailure = mapping.Properties.DestinationConfig?.OnFailure?.Destination;
      if (onFailure) needs.push({ role, action: 'sqs:SendMessage', arn: resolveArns(template, onFailure, parameterSamples)[0], why: 'an SQS on-failure destination of an event source mapping is sent with the function\'s role' });
    }
    if (fn.Properties.LoggingConfig?.LogGroup) {
      const group = resolveArns(template, { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] }, {})[0];
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) needs.push({ role, action, arn: `${group}:log-stream:2026/11/24/[$LATEST]abc`, why: 'Lambda writes its logs with the function\'s role' });
    }
    // The code's calls: each AWS operation the handler's code reaches, mapped to the resource the environment names.
    const environment = fn.Properties.Environment?.Variables ?? {};
    for (const call of codeCalls(lambdaSources, fn.Properties.Handler)) {
      if (!call.environment) { // an action with no resource-level permissions (batch:DescribeJobs) is granted on "*"
        needs.push({ role, action: call.action, arn: '*', why: `${call.file} calls it` });
        continue;
      }
      const target = environment[call.environment];
      if (!target) throw new Error(`${call.file} calls ${call.action} on ${call.environment}, which the function's environment does not set`);
      let targets;
      if (call.action.startsWith('dynamodb:')) {
        const table = resolveArns(template, { 'Fn::GetAtt': [target.Ref, 'Arn'] }, {})[0];
        // A Query reads the table's indexes (the code names them by TriggerItem's constants); each is authorized on its own ARN.
        const indexes = (resources[target.Ref].Properties.GlobalSecondaryIndexes ?? []).map((i) => `${table}/index/${i.IndexName}`);
        targets = call.action === 'dynamodb:Query' && indexes.length > 0 ? indexes : [table];
      } else if (call.action.startsWith('logs:')) {
        targets = [arn('logs', `log-group:${resolveArns(template, target, parameterSamples)[0]}:log-stream:hello/default/4c75`)];
      } else {
        targets = [resolveArns(template, target, {})[0]];
      }
      // Calls on one execution are authorized on the execution (Service Authorization Reference: resource type execution).
      if (executionActions.has(call.action)) targets = targets.map((t) => `${t.replace(':stateMachine:', ':execution:')}:t-1`);
      for (const targetArn of targets) needs.push({ role, action: call.action, arn: targetArn, why: `${call.file} calls it` });
    }
  }

  // API Gateway AWS integrations run with their Credentials role: the action in the integration Uri on the table
  // its request template names.
  for (const [id, method] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Method')) {
    const integration = method.Properties.Integration;
    const uri = integration?.Uri?.['Fn::Sub'] ?? '';
    const action = /:dynamodb:action\/([A-Za-z]+)$/.exec(uri)?.[1];
    if (!action) continue;
    const request = JSON.stringify(integration.RequestTemplates);
    const table = /\\"TableName\\": \\"(\$\{[A-Za-z]+\})\\"/.exec(request)?.[1];
    needs.push({ role: roleOf(integration.Credentials), action: `dynamodb:${action}`, arn: tableArn(template, table), why: `${id}'s integration calls it` });
  }
  return needs;
}

/**
 * The AWS calls the code a handler reaches makes: DynamoDB through AWSSDK.DynamoDBv2 (`_dynamo.XAsync(` with a table
 * from the environment variable the file reads), Step Functions, CloudWatch Logs and Batch through BatchPs.Aws (`InvokeAsync("X"`
 * in a JSON-protocol client, a public `XAsync(` method of a REST client; needed when reached code calls its `XAsync(`). A handler (`Assembly::Namespace.Class::Method`) reaches
 * its class's file and, in turn, the file of every class a reached file names outside comments.
 */
export function codeCalls(sources, handler) {
  const reached = reachable(sources, handler);
  const calls = [];
  for (const { file, text } of reached) {
    for (const [, operation] of text.matchAll(/_dynamo\.([A-Za-z]+)Async\(/g)) calls.push({ file, action: `dynamodb:${operation}`, environment: tableVariable(file) });
  }
  const clients = { 'src/BatchPs.Aws/StepFunctions/': ['states', 'BATCHPS_STATE_MACHINE_ARN'], 'src/BatchPs.Aws/CloudWatchLogs/': ['logs', 'BATCHPS_JOB_LOG_GROUP'], 'src/BatchPs.Aws/Batch/': ['batch', null] };
  for (const { file, text } of sources) {
    const client = Object.entries(clients).find(([folder]) => file.startsWith(folder))?.[1];
    if (!client) continue;
    const operations = /: AwsRestJsonClient\b/.test(text) ? code(text).matchAll(/public [^(\n]*\s([A-Z][A-Za-z]+)Async\(/g) : text.matchAll(/InvokeAsync\("([A-Za-z]+)"/g);
    for (const [, operation] of operations) {
      // A caller: reached code other than the client and the interfaces that declare its methods.
      const caller = reached.find((s) => s.file !== file && !/^I[A-Z]/.test(className(s.file)) && code(s.text).includes(`${operation}Async(`));
      if (caller) calls.push({ file: caller.file, action: `${client[0]}:${operation}`, environment: client[1] });
    }
  }
  return calls;
}

const className = (file) => file.split('/').pop().replace(/\.cs$/, '');
const code = (text) => text.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');

function reachable(sources, handler) {
  const start = /::[A-Za-z0-9_.]*?([A-Za-z0-9_]+)::/.exec(handler ?? '')?.[1];
  if (!start) throw new Error(`Handler ${handler} does not name a class`);
  const reached = new Set([start]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of sources.filter((x) => reached.has(className(x.file)))) {
      for (const other of sources) {
        const name = className(other.file);
        if (!reached.has(name) && new RegExp(`\\b${name}\\b`).test(code(s.text))) {
          reached.add(name);
          grew = true;
        }
      }
    }
  }
  return sources.filter((s) => reached.has(className(s.file)));
}

// Which environment variable names the table a DynamoDB class reads or writes: the catalog class reads the catalog
// table, the status writer and the trigger reader the trigger table (the handlers wire them from BATCHPS_CATALOG_TABLE
// and BATCHPS_TRIGGER_TABLE).
function tableVariable(file) {
  if (/Catalog|JobList/.test(file)) return 'BATCHPS_CATALOG_TABLE';
  if (/StatusWriter|TriggerReader/.test(file)) return 'BATCHPS_TRIGGER_TABLE';
  throw new Error(`${file} calls DynamoDB; say which table variable it uses`);
}

/** The Lambda's source files and the BatchPs.Aws clients it calls through. */
export function lambdaSources(root) {
  const files = [
    ...readdirSync(join(root, 'lambda/BatchPs.Lambda')).filter((f) => f.endsWith('.cs')).map((f) => join('lambda/BatchPs.Lambda', f)),
    ...readdirSync(join(root, 'src/BatchPs.Aws/StepFunctions')).filter((f) => f.endsWith('.cs')).map((f) => join('src/BatchPs.Aws/StepFunctions', f)),
    ...readdirSync(join(root, 'src/BatchPs.Aws/CloudWatchLogs')).filter((f) => f.endsWith('.cs')).map((f) => join('src/BatchPs.Aws/CloudWatchLogs', f)),
    ...readdirSync(join(root, 'src/BatchPs.Aws/Batch')).filter((f) => f.endsWith('.cs')).map((f) => join('src/BatchPs.Aws/Batch', f)),
  ];
  return files.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}
