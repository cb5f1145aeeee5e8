// Loads a CloudFormation YAML template: the short-form tags (!Ref, !Sub, ...) become their
// long forms ({"Ref": ...}, {"Fn::Sub": ...}), and a few of them can be resolved for a test.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

const tags = [
  ['Ref', 'Ref'], ['Sub', 'Fn::Sub'], ['GetAtt', 'Fn::GetAtt'], ['Join', 'Fn::Join'], ['FindInMap', 'Fn::FindInMap'],
  ['If', 'Fn::If'], ['Split', 'Fn::Split'], ['Equals', 'Fn::Equals'], ['Not', 'Fn::Not'], ['And', 'Fn::And'],
  ['Or', 'Fn::Or'], ['Select', 'Fn::Select'], ['Base64', 'Fn::Base64'], ['ImportValue', 'Fn::ImportValue'],
  ['GetAZs', 'Fn::GetAZs'], ['Condition', 'Condition'],
];
const types = tags.flatMap(([tag, name]) => ['scalar', 'sequence', 'mapping'].map((kind) => new yaml.Type('!' + tag, {
  kind,
  construct: (data) => {
    if (tag === 'GetAtt' && kind === 'scalar') return { [name]: data.split('.') };
    return { [name]: data };
  },
})));
const schema = yaml.DEFAULT_SCHEMA.extend(types);

export function loadTemplate(path) {
  return yaml.load(readFileSync(path, 'utf8'), { schema });
}

/** Resolves Fn::Sub, Fn::Join and Fn::FindInMap over strings, with parameter values for ${Name}. */
export function resolve(template, value, parameters) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    if ('Fn::Sub' in value) {
      const [text, vars] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
      const all = { ...parameters };
      for (const [k, v] of Object.entries(vars)) all[k] = resolve(template, v, parameters);
      return text.replace(/\$\{(!?)([A-Za-z0-9_.:]+)\}/g, (whole, bang, name) => {
        if (bang) return '${' + name + '}';
        if (!(name in all)) throw new Error(`Fn::Sub: no value for \${${name}}`);
        return String(all[name]);
      });
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return parts.map((p) => resolve(template, p, parameters)).join(separator);
    }
    if ('Fn::FindInMap' in value) {
      const [map, key, field] = value['Fn::FindInMap'];
      return template.Mappings[map][key][field];
    }
    if ('Ref' in value && value.Ref in parameters) return String(parameters[value.Ref]);
  }
  throw new Error('Cannot resolve ' + JSON.stringify(value));
}
