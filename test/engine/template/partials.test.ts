// Inline partials (engine/template/partials.ts): what a translated Jinja macro relies on.
import { describe, expect, it } from 'vitest';
import { createTemplater, requiredVariables, Scope } from '../../../engine/template/index.js';

const t = createTemplater();
const vars = { g: 'G', xs: [1, 2], a: 'root a' };
const render = (text: string) => t.render(text, new Scope([vars]));

describe('inline partials', () => {
  it('render their body with the call’s arguments; the definition itself renders nothing', () => {
    expect(render('<{{#*inline "f"}}[{{a}}]{{/inline}}>{{> f a="x"}}{{> f a=xs}}')).toBe('<>[x][[1,2]]');
  });

  it('take a left-out argument from the definition’s default, which may read an earlier one; null is given', () => {
    const def = '{{#*inline "f" b=(concat a "!")}}{{a}}/{{b}};{{/inline}}';
    expect(render(`${def}{{> f a="q"}}{{> f a="q" b="set"}}{{> f a="q" b=null}}`)).toBe('q/q!;q/set;q/;');
  });

  it('see their arguments and the root variables, not the caller’s block parameters, @index or item', () => {
    expect(render('{{#*inline "f"}}{{n}}:{{@root.g}} {{/inline}}{{#each xs as |i|}}{{> f n=i}}{{/each}}')).toBe(
      '1:G 2:G ',
    );
    expect(() => render('{{#*inline "f"}}{{i}}{{/inline}}{{#each xs as |i|}}{{> f}}{{/each}}')).toThrow(
      /undefined variable 'i'/,
    );
    expect(() => render('{{#*inline "f"}}{{@index}}{{/inline}}{{#each xs}}{{> f}}{{/each}}')).toThrow(/@index/);
  });

  it('are defined for the whole program they sit in and the blocks inside it, and may call each other', () => {
    const text = '{{> outer v=1}}{{#*inline "outer"}}({{> inner w=v}}){{/inline}}{{#*inline "inner"}}{{w}}{{/inline}}';
    expect(render(text)).toBe('(1)');
    expect(() => render('{{#if true}}{{#*inline "f"}}x{{/inline}}{{/if}}{{> f}}')).toThrow(/unknown partial 'f'/);
  });

  it('indent every line when Handlebars finds the call alone on its line, as Handlebars does', () => {
    expect(render('x\n  {{> f}}\ny{{#*inline "f"}}A\nB\n{{/inline}}')).toBe('x\n  A\n  B\ny');
  });

  it('refuse a recursion that never ends, an unknown name and positional arguments', () => {
    expect(() => render('{{#*inline "f"}}{{> f}}{{/inline}}{{> f}}')).toThrow(/more than 64 deep/);
    expect(() => render('{{#*inline "flag"}}{{/inline}}{{> flg}}')).toThrow(/unknown partial 'flg'/);
    expect(() => render('{{#*inline "f"}}{{/inline}}{{> f g}}')).toThrow(/key=value arguments only/);
  });

  it('called as a block, render the block where they say @partial-block, with the caller’s frames', () => {
    const wrap = "{{#*inline 'wrap'}}<{{t}}>{{> @partial-block}}</{{t}}>{{/inline}}";
    expect(render(`${wrap}{{#each xs as |i|}}{{#> wrap t='b'}}{{i}}.{{@index}}{{/wrap}}{{/each}}`)).toBe(
      '<b>1.0</b><b>2.1</b>',
    );
    // A hash on @partial-block adds names to the block; the block still sees the caller's.
    const two = "{{#*inline 'two'}}[{{> @partial-block v=(concat t '!')}}]{{/inline}}";
    expect(render(`${two}{{#each xs as |i|}}{{#> two t='z'}}{{v}}{{i}}{{/two}}{{/each}}`)).toBe('[z!1][z!2]');
    expect(() => render(`${wrap}{{> wrap t='b'}}`)).toThrow(/outside a partial called as a block/);
  });

  it('a call’s arguments are variables the template needs; the body’s names are its own', () => {
    expect(requiredVariables('{{#*inline "f"}}{{own}}{{/inline}}{{> f a=needed}}')).toEqual(['needed']);
    expect(requiredVariables('{{#> f a=needed}}{{also}}{{/f}}')).toEqual(['needed', 'also']);
  });
});
