/**
 * Query strings and form fields are text: `?book=3`, `allocateResultCode=true`
 * are read as the number and boolean their schema names, here and only here.
 * JSON bodies are never coerced (the validator runs with coerceTypes off), so
 * `{"book":"3"}` or `{"confirm":"true"}` is a 400, not a reservation.
 */

interface PropertySchema {
  type?: string | string[];
}

const INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function coerceOne(value: string, type: string | string[] | undefined): unknown {
  const types = Array.isArray(type) ? type : type ? [type] : [];
  if (types.includes('string')) return value;
  if (types.includes('integer') && INTEGER.test(value)) return Number(value);
  if (types.includes('number') && NUMBER.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Converts, in place, the text values of `values` whose property schema asks for an integer, number or boolean; anything else is left for the validator to refuse. */
export function coerceText(schema: unknown, values: Record<string, unknown>): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!props || values === null || typeof values !== 'object') return values;
  for (const [name, value] of Object.entries(values)) {
    const p = props[name];
    if (p && typeof value === 'string') values[name] = coerceOne(value, p.type);
  }
  return values;
}
