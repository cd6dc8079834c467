// Checks JSON answers against @jellyfin/sdk's generated model declarations
// (node_modules/@jellyfin/sdk/lib/generated-client/models/*.d.ts): every
// required property present, every property one the model declares, each
// value of its declared type, enum values among the enum's members. The
// declarations are read as the SDK ships them, not restated here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve('@jellyfin/sdk/package.json'));
const modelsDir = join(sdkDir, 'lib', 'generated-client', 'models');

const interfaces = new Map(); // name -> Map(prop -> {optional, type})
const enums = new Map(); // name -> Set(values)

function parseFile(text) {
  const lines = text.split('\n');
  let current = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = line.match(/^export interface (\w+)/);
    if (m) {
      current = new Map();
      interfaces.set(m[1], current);
      continue;
    }
    m = line.match(/^export declare const (\w+): \{/);
    if (m) {
      const values = new Set();
      for (i++; i < lines.length && !lines[i].startsWith('};'); i++) {
        const v = lines[i].match(/readonly \w+: "([^"]*)"/);
        if (v) values.add(v[1]);
      }
      enums.set(m[1], values);
      current = null;
      continue;
    }
    if (line.startsWith('}')) {
      current = null;
      continue;
    }
    m = current && line.match(/^ {4}'(\w+)'(\?)?: (.*)$/);
    if (m) {
      let type = m[3];
      // An inline object type spans lines until its braces balance.
      let depth = (type.match(/\{/g) || []).length - (type.match(/\}/g) || []).length;
      while (depth > 0 && i + 1 < lines.length) {
        const next = lines[++i].trim();
        if (!next.startsWith('*') && !next.startsWith('/**')) type += ' ' + next;
        depth += (next.match(/\{/g) || []).length - (next.match(/\}/g) || []).length;
      }
      current.set(m[1], { optional: m[2] === '?', type: type.replace(/;$/, '').trim() });
    }
  }
}

for (const f of readdirSync(modelsDir)) {
  if (f.endsWith('.d.ts')) parseFile(readFileSync(join(modelsDir, f), 'utf8'));
}

function splitUnion(type) {
  const parts = [];
  let depth = 0, start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '<' || c === '{' || c === '(') depth++;
    else if (c === '>' || c === '}' || c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(type.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(type.slice(start).trim());
  return parts;
}

// Problems of value against type, as "path: what" strings.
function checkType(value, type, path, out) {
  const options = splitUnion(type);
  if (value === null) {
    if (!options.includes('null')) out.push(`${path}: null where ${type} is declared`);
    return;
  }
  const errors = [];
  for (const t of options) {
    if (t === 'null') continue;
    const local = [];
    checkOne(value, t, path, local);
    if (local.length === 0) return;
    errors.push(...local);
  }
  out.push(...(errors.length ? errors.slice(0, 3) : [`${path}: not ${type}`]));
}

function checkOne(value, t, path, out) {
  if (t === 'string') { if (typeof value !== 'string') out.push(`${path}: not a string`); return; }
  if (t === 'number') { if (typeof value !== 'number') out.push(`${path}: not a number`); return; }
  if (t === 'boolean') { if (typeof value !== 'boolean') out.push(`${path}: not a boolean`); return; }
  if (t === 'any' || t === 'object' || t === 'unknown') return;
  let m = t.match(/^Array<(.+)>$/);
  if (m) {
    if (!Array.isArray(value)) { out.push(`${path}: not an array`); return; }
    value.forEach((v, i) => checkType(v, m[1], `${path}[${i}]`, out));
    return;
  }
  m = t.match(/^\{ \[key: string\]: (.+?);? \}$/);
  if (m) {
    if (typeof value !== 'object' || Array.isArray(value)) { out.push(`${path}: not a map`); return; }
    for (const [k, v] of Object.entries(value)) checkType(v, m[1], `${path}.${k}`, out);
    return;
  }
  if (enums.has(t)) {
    if (!enums.get(t).has(value)) out.push(`${path}: '${value}' is not a ${t}`);
    return;
  }
  if (interfaces.has(t)) { checkModel(value, t, path, out); return; }
  out.push(`${path}: unknown declared type ${t}`);
}

export function checkModel(value, name, path = name, out = []) {
  const model = interfaces.get(name);
  if (!model) throw new Error(`the SDK declares no model ${name}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${path}: not an object`);
    return out;
  }
  for (const [prop, decl] of model) {
    if (!decl.optional && !(prop in value)) out.push(`${path}.${prop}: required, missing`);
  }
  for (const [prop, v] of Object.entries(value)) {
    const decl = model.get(prop);
    if (!decl) { out.push(`${path}.${prop}: not a property of ${name}`); continue; }
    checkType(v, decl.type, `${path}.${prop}`, out);
  }
  return out;
}

export function modelCount() {
  return { interfaces: interfaces.size, enums: enums.size };
}
