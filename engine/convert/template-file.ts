// A `.j2` template (or any file a `template` task renders) through the translator as a whole,
// with Ansible's template settings (trim_blocks on). Its name is kept: a converted playbook still
// names `config.yaml.j2`. A template with anything left is kept as written, every note listed.
import { convertTemplate } from './expressions.js';
import { lineIndex, type Collector } from './report.js';

const TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

export function convertTemplateFile(file: string, text: string, out: Collector): string {
  const o = convertTemplate(text);
  if (o.kind === 'none') return text;
  if (o.kind === 'left') {
    for (const n of o.notes)
      out.add({
        type: 'left',
        what: 'template',
        file,
        line: n.line,
        col: n.col,
        jinja: n.jinja,
        why: n.why,
        write: n.write,
      });
    return text;
  }
  // One construct per Jinja tag; the file is translated as a whole, so each names the file's result.
  const at = lineIndex(text);
  for (const m of text.matchAll(TAG))
    out.add({ type: 'converted', what: 'template', file, ...at(m.index), jinja: m[0], herdbook: '(the whole file)' });
  return o.text;
}
