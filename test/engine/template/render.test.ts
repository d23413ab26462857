import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../engine/errors.js';
import { createTemplater, LazyVars, MISSING, Scope } from '../../../engine/template/index.js';

const t = createTemplater({ env: { HOME: '/root' }, now: () => new Date('2026-01-07T09:05:03Z') });
const scope = (...layers: Record<string, unknown>[]) => new Scope(layers);

function err(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('render', () => {
  it('yields the typed value for a string that is exactly one expression', () => {
    const s = scope({ nodes: ['a', 'b'], n: 3, flag: false, m: { k: 1 } });
    expect(t.render('{{nodes}}', s)).toEqual(['a', 'b']);
    expect(t.render('{{ n }}', s)).toBe(3);
    expect(t.render('{{flag}}', s)).toBe(false);
    expect(t.render('{{m}}', s)).toEqual({ k: 1 });
  });

  it('renders mixed text as a string, lists and maps as JSON', () => {
    const s = scope({ name: 'w-1', list: [1, 2] });
    expect(t.render('node {{name}} has {{list}}', s)).toBe('node w-1 has [1,2]');
    expect(t.render('plain text', s)).toBe('plain text');
  });

  it('does not escape HTML', () => {
    expect(t.render('{{v}}!', scope({ v: '<a href="x">&</a>' }))).toBe('<a href="x">&</a>!');
  });

  it('walks nested paths, list indexes and segment literals', () => {
    const s = scope({ hv: { 'w-1': { ip: '10.0.0.1' } }, l: [{ n: 'x' }, { n: 'y' }] });
    expect(t.render('{{hv.[w-1].ip}}', s)).toBe('10.0.0.1');
    expect(t.render('{{l.1.n}}', s)).toBe('y');
    expect(t.render('{{l.length}}', s)).toBe(2);
  });

  it('renders variables that are templates themselves, lazily, in the reading scope', () => {
    const s = scope({ server_ip: '10.0.0.5' }, { k3s_url: 'https://{{server_ip}}:6443' });
    expect(t.render('{{k3s_url}}', s)).toBe('https://10.0.0.5:6443');
  });

  it('reports a variable that refers to itself', () => {
    const e = err(() => t.render('{{a}}', scope({ a: '{{b}}', b: 'x{{a}}' })));
    expect(e.code).toBe('E_CYCLE');
    expect(e.message).toContain('a → b → a');
  });

  it('names an undefined variable and suggests the near miss', () => {
    const e = err(() => t.render('{{k3s_chanel}}', scope({ k3s_channel: 'stable' })));
    expect(e.message).toBe("undefined variable 'k3s_chanel'");
    expect(e.hint).toBe("did you mean 'k3s_channel'?");
    expect(e.variable).toBe('k3s_chanel');
  });

  it('names a missing key and lists what exists', () => {
    const e = err(() => t.render('{{upgrade.changd}}', scope({ upgrade: { changed: true, rc: 0 } })));
    expect(e.message).toBe("undefined variable 'upgrade.changd': 'upgrade' has no key 'changd'");
    expect(e.hint).toBe("did you mean 'upgrade.changed'?");
  });

  it('says which variable held the undefined one', () => {
    const e = err(() => t.render('{{url}}', scope({ url: 'https://{{ip}}' })));
    expect(e.message).toBe("undefined variable 'ip' in the value of 'url'");
  });

  it('never reads prototype properties', () => {
    const s = scope({ o: {} });
    expect(err(() => t.render('{{o.constructor}}', s)).code).toBe('E_UNDEFINED');
    expect(err(() => t.render('{{o.__proto__}}', s)).code).toBe('E_UNDEFINED');
    expect(err(() => t.render('{{toString}}', s)).code).toBe('E_UNDEFINED');
  });

  it('attaches the position given by the caller', () => {
    const e = err(() => t.render('{{x}}', scope({}), { file: 'p.yaml', line: 4, col: 9 }));
    expect(e.pos).toEqual({ file: 'p.yaml', line: 4, col: 9 });
  });

  it('renders deep values and keeps untouched objects identical', () => {
    const args = { a: 'x', b: ['{{n}}', 'y'], c: { d: '{{n}}-z' } };
    const out = t.renderDeep(args, scope({ n: 2 }));
    expect(out).toEqual({ a: 'x', b: [2, 'y'], c: { d: '2-z' } });
    const same = { a: 'x', b: [1] };
    expect(t.renderDeep(same, scope({}))).toBe(same);
  });

  it('supports #if, #unless, #each with @index/@key/@first/@last, #with, else, raw and ../', () => {
    const s = scope({ nodes: ['a', 'b'], m: { x: 1 }, on: true, empty: [], top: 'T' });
    expect(t.render('{{#each nodes}}{{@index}}={{this}}{{#unless @last}},{{/unless}}{{/each}}', s)).toBe('0=a,1=b');
    expect(t.render('{{#each m}}{{@key}}:{{this}}{{/each}}', s)).toBe('x:1');
    expect(t.render('{{#each empty}}x{{else}}none{{/each}}', s)).toBe('none');
    expect(t.render('{{#if on}}yes{{else}}no{{/if}}', s)).toBe('yes');
    expect(t.render('{{#each nodes as |n i|}}{{i}}{{n}}{{../top}}{{top}}{{/each}}', s)).toBe('0aTT1bTT');
    expect(t.render('{{#with m}}{{x}}{{/with}}', s)).toBe('1');
    expect(t.render('{{{{raw}}}}{{.metadata.name}}{{{{/raw}}}}', s)).toBe('{{.metadata.name}}');
    expect(t.render('\\{{literal}}', s)).toBe('{{literal}}');
  });
});

describe('conditions', () => {
  const s = scope({ upgrade: { changed: true }, k3s_role: 'agent', n: 0, out: 'text', list: [1] });

  it('accept expressions with or without braces and parentheses', () => {
    expect(t.condition('upgrade.changed', s)).toBe(true);
    expect(t.condition('(and upgrade.changed (eq k3s_role "agent"))', s)).toBe(true);
    expect(t.condition('eq k3s_role "server"', s)).toBe(false);
    expect(t.condition('{{not upgrade.changed}}', s)).toBe(false);
    expect(t.condition(['upgrade.changed', '(eq n 0)'], s)).toBe(true);
    expect(t.condition(true, s)).toBe(true);
  });

  it('short-circuit and/or so a guard protects the undefined side', () => {
    expect(t.condition('(and (defined missing) missing.x)', s)).toBe(false);
    expect(t.condition('(or upgrade.changed missing)', s)).toBe(true);
  });

  it('refuse strings and lists that are not booleans, with the explicit spelling', () => {
    const e = err(() => t.condition('out', s));
    expect(e.code).toBe('E_CONDITION');
    expect(e.hint).toContain('(eq out');
    expect(err(() => t.condition('list', s)).hint).toBe('test its size instead: (gt (length list) 0)');
  });
});

describe('Jinja habits', () => {
  const cases: [string, string][] = [
    ["{{ x | default('y') }}", "write {{default x 'y'}}"],
    ['{{ k3s_version is defined }}', 'write {{defined k3s_version}}'],
    ['{{ a == b }}', 'write {{eq a b}}'],
    ['{{ a and not b }}', 'write {{and a (not b)}}'],
    ["{{ 'k3s' in groups }}", "write {{in 'k3s' groups}}"],
    ['{{ items | length > 0 }}', 'write {{gt (length items) 0}}'],
    ["{{ hostvars['w-1'].ip }}", 'write {{hostvars.[w-1].ip}}'],
    ["{{ v is version('1.30', '>=') }}", "write {{is 'version' v '1.30' '>='}}"],
  ];
  it.each(cases)('%s → %s', (text, hint) => {
    const e = err(() => t.render(text, scope({})));
    expect(e.code).toBe('E_JINJA');
    expect(e.hint).toBe(hint);
  });

  it('Jinja statements are refused', () => {
    expect(err(() => t.render('{% if x %}{{ y }}{% endif %}', scope({}))).hint).toContain('{{#if cond}}');
  });

  it('conditions written the Ansible way get the Handlebars spelling', () => {
    expect(err(() => t.condition('result.rc == 0', scope({}))).hint).toBe('write {{eq result.rc 0}}');
    expect(err(() => t.condition('foo is not defined', scope({}))).hint).toBe('write {{not (defined foo)}}');
  });

  it('quoted text that looks like Jinja is data', () => {
    expect(t.render("{{join list ' | '}}", scope({ list: ['a', 'b'] }))).toBe('a | b');
    expect(t.render("{{eq x 'a == b'}}", scope({ x: 'a == b' }))).toBe(true);
  });
});

describe('lazy mappings', () => {
  it('resolves hostvars-style lazy lookups and reports missing keys', () => {
    const hv = new LazyVars(
      (k) => (k === 'w-1' ? { ip: '10.0.0.9' } : MISSING),
      () => ['w-1'],
    );
    const s = scope({ hostvars: hv });
    expect(t.render('{{hostvars.[w-1].ip}}', s)).toBe('10.0.0.9');
    expect(err(() => t.render('{{hostvars.[w-9].ip}}', s)).message).toContain("'hostvars' has no key 'w-9'");
    expect(t.render('{{to_json hostvars}}', s)).toBe('{"w-1":{"ip":"10.0.0.9"}}');
  });
});
