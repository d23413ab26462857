// engine/jinja: the Jinja parser and its translation into herdbook expressions (see
// ../shared/design.md, "Expressions"). Used by the inventory loader, validate's suggestions,
// and later by `herdbook convert`.
export { ANSIBLE_OPTIONS, type TemplateOptions } from './lexer.js';
export type { Expr, Stmt, Template } from './nodes.js';
export { parseExpression, parseTemplate } from './parse-template.js';
export { mayBeJinja, translateExpression, translateTemplate, type JinjaNote, type Translation } from './translate.js';
export { UntranslatedJinja } from './untranslated.js';
export { detectJinja, type JinjaFinding } from './detect.js';
export { TEMPLATE_MODULE_OPTIONS, templateModuleOptions } from './settings.js';
export { VERSION_OPERATORS } from './version-operators.js';
