import fc from 'fast-check';
import { z } from 'zod';

/**
 * Inputs for a channel, generated from its zod input schema (through zod's own JSON Schema of the input side)
 * and then, half of the time, mutated: a key dropped, an unknown key added, a value replaced by another JSON
 * value of any kind, a text made very long or filled with control characters, a number pushed past its
 * bounds. Both transports carry JSON, so every input is a JSON value.
 *
 * `pools` gives real values for fields by name (ids of records that exist, a staged file, a version), so a
 * generated input reaches past "not found" into the handler's own checks and writes.
 */
export type Pools = Record<string, readonly unknown[]>;

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  pattern?: string;
};

const hostile = ['', ' ', '\u0000', 'a\u0007b', '\ud800', '../../etc/passwd', "x' OR 1=1 --", '"', '%', '*', 'NEAR(', '<script>', '9'.repeat(40), 'é'.repeat(3)];
const hostileString = fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 3000 }).map((s) => s.padEnd(3000, 'x')));
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString, fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, null, true, [], {}));

function safeRegexArb(pattern: string, minLength = 0, maxLength = 300): fc.Arbitrary<string> | null {
  try {
    // Bent to the length bounds rather than filtered (a filter that rarely passes never ends): a text made of
    // one repeated match still matches most patterns of such fields (a token's `[A-Za-z0-9._~-]+`).
    return fc.stringMatching(new RegExp(pattern)).map((s) => (s.length >= minLength || !s ? s : s.repeat(Math.ceil(minLength / s.length))).slice(0, maxLength));
  } catch {
    return null;
  }
}

const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

export function arbitraryOf(schema: JsonSchema, pools: Pools, key = ''): fc.Arbitrary<unknown> {
  const pool = key && pools[key];
  const own = ownArbitrary(schema, pools, key);
  // A field known by name also takes real values (an id that exists), besides what its schema allows.
  return pool && pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: own, weight: 1 }) : own;
}

function ownArbitrary(schema: JsonSchema, pools: Pools, key: string): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => ownArbitrary(s, pools, key)));
  if (schema.allOf?.length) return ownArbitrary(schema.allOf[0]!, pools, key);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => ownArbitrary({ ...schema, type }, pools, key)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000), -1e9);
      const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000), 1e9);
      return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
    }
    case 'number': {
      const min = Math.max(schema.minimum ?? -1000, -1e9);
      const max = Math.min(schema.maximum ?? 1000, 1e9);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string': {
      if (schema.format === 'date-time') return day.map((d) => d.toISOString());
      if (schema.format === 'date') return day.map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
      if (schema.pattern) {
        const matching = safeRegexArb(schema.pattern, schema.minLength, schema.maxLength);
        if (matching) return matching;
      }
      const minLength = schema.minLength ?? 0;
      return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)) });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(schema.items ? arbitraryOf(schema.items, pools, key ? `${key}[]` : '') : anyJson, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case 'object': {
      if (schema.properties) {
        const props = Object.fromEntries(Object.entries(schema.properties).map(([name, s]) => [name, arbitraryOf(s, pools, name)]));
        return fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
      }
      const values = typeof schema.additionalProperties === 'object' ? arbitraryOf(schema.additionalProperties, pools) : anyJson;
      const keys = schema.propertyNames ? (arbitraryOf(schema.propertyNames, pools) as fc.Arbitrary<string>) : fc.string({ maxLength: 10 });
      return fc.dictionary(keys, values, { maxKeys: 3 });
    }
    default:
      return anyJson;
  }
}

/** Paths to every value inside a JSON value (objects' keys and arrays' indexes), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

function cloneWith(value: unknown, path: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}

type Mutation = { kind: 'replace' | 'drop' | 'unknown_key' | 'whole'; pick: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'drop', 'unknown_key', 'whole'),
  pick: fc.nat(),
  value: anyJson,
}) as fc.Arbitrary<Mutation>;

function mutate(input: unknown, m: Mutation): unknown {
  if (m.kind === 'whole') return m.value;
  const paths = pathsOf(input);
  if (m.kind === 'unknown_key' || !paths.length) {
    const objects = [[], ...paths].filter((p) => {
      let v: unknown = input;
      for (const step of p) v = (v as Record<string | number, unknown>)[step];
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    if (!objects.length) return m.value;
    const at = objects[m.pick % objects.length]!;
    if (!at.length) return { ...(input as object), zzUnknown: m.value };
    return cloneWith(input, [...at, 'zzUnknown'], (parent, key) => {
      parent[key] = m.value;
    });
  }
  const path = paths[m.pick % paths.length]!;
  return cloneWith(input, path, (parent, key) => {
    if (m.kind === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else parent[key] = m.value;
  });
}

/** Valid-looking inputs and mutated ones, half and half, as one arbitrary. */
export function channelInputs(schema: z.ZodType, pools: Pools): fc.Arbitrary<{ input: unknown; mutated: boolean }> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const valid = arbitraryOf(json, pools);
  return fc.oneof(
    valid.map((input) => ({ input, mutated: false })),
    fc.tuple(valid, mutation).map(([input, m]) => ({ input: mutate(input, m), mutated: true })),
  );
}
