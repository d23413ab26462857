// Whether a string holds a template, without loading the template engine (load stays below it).
export function isTemplateText(v: unknown): v is string {
  return typeof v === 'string' && v.includes('{{');
}
