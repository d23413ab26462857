// resource.Quantity's UnmarshalJSON: a string (or a bare number) that ParseQuantity accepts,
// with its two error texts (apimachinery/pkg/api/resource/quantity.go). The value is kept as
// sent; the canonical re-spelling the server applies ("1.5" → "1500m") is not simulated.
import { DecodeError } from './go-errors.js';

const FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

export function decodeQuantity(v: unknown): string {
  const text = typeof v === 'string' ? v.trim() : JSON.stringify(v);
  const m = FORMAT.exec(text);
  if (!m || !/[0-9]/.test(m[1]) || (m[1].match(/\./g) ?? []).length > 1) {
    throw new DecodeError(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  }
  if (!SUFFIXES.has(m[2]) && !/^[eE][-+]?[0-9]+$/.test(m[2]))
    throw new DecodeError("unable to parse quantity's suffix");
  return typeof v === 'string' ? v : text;
}
