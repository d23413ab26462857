// A value from YAML, a variable or a template, as text: a scalar as String() prints it, a map
// or a list as JSON. One function, so no message and no rendered keyword ever says
// "[object Object]".
export function asText(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    // A structure that refers to itself.
    return Object.prototype.toString.call(v);
  }
}
