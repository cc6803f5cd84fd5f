/** The .rgnb notebook file format: exact bytes, round trips, stable key order, outputs. */
import { describe, expect, it } from 'vitest';
import {
  itemFromBytes,
  itemToBytes,
  parseRgnb,
  serialiseRgnb,
  splitLines,
  type RgnbNotebook,
} from '../../src/extension/notebook/rgnb-format';
import { RgsError } from '../../src/engine/util/errors';

const enc = new TextEncoder();

function sample(): RgnbNotebook {
  return {
    metadata: { study: 'gbm.study.yaml', kernel: { name: 'radiogenomics', version: 1 } },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# IDH1 from MRI\n\nCohort first.', metadata: {}, outputs: [] },
      {
        kind: 'code',
        language: 'yaml',
        source: 'features:\n  families: [stat]\n',
        metadata: { tags: ['extract'], collapsed: false },
        outputs: [
          { metadata: {}, items: [{ mime: 'text/plain', text: 'Extracted 6/6 tasks\nresults in results/tiny\n' }] },
          {
            metadata: { height: 300 },
            items: [
              {
                mime: 'application/vnd.radiogenomics.feature-table+json',
                json: { version: 1, rows: ['S-01', 'S-02'], columns: [{ name: 'T1.core.stat.mean_intensity', values: [1.5, null], ibsi: 'Q4LE' }] },
              },
            ],
          },
          { metadata: {}, items: [{ mime: 'image/png', base64: 'iVBORw0KGgo=' }] },
        ],
        execution: { order: 2, success: true },
      },
      {
        kind: 'code',
        language: 'javascript',
        source: 'null.x',
        metadata: {},
        outputs: [{ metadata: {}, items: [{ mime: 'application/vnd.code.notebook.error', json: { name: 'TypeError', message: "Cannot read properties of null (reading 'x')" } }] }],
        execution: { order: 3, success: false },
      },
    ],
  };
}

describe('.rgnb format', () => {
  it('writes the documented layout, byte for byte', () => {
    const nb: RgnbNotebook = {
      metadata: {},
      cells: [
        { kind: 'markdown', language: 'markdown', source: '# Title', metadata: {}, outputs: [] },
        {
          kind: 'code',
          language: 'yaml',
          source: 'cohort:\n  manifest: m.csv\n',
          metadata: {},
          outputs: [{ metadata: {}, items: [{ mime: 'text/plain', text: 'ok' }, { mime: 'application/json', json: { b: [1, 2], a: { x: null } } }] }],
          execution: { order: 1, success: true },
        },
      ],
    };
    expect(serialiseRgnb(nb)).toBe(
      [
        '{',
        '  "format": "radiogenomics-notebook",',
        '  "version": 1,',
        '  "cells": [',
        '    {',
        '      "kind": "markdown",',
        '      "language": "markdown",',
        '      "source": ["# Title"]',
        '    },',
        '    {',
        '      "kind": "code",',
        '      "language": "yaml",',
        '      "source": ["cohort:\\n","  manifest: m.csv\\n"],',
        '      "outputs": [',
        '        {',
        '          "items": [',
        '            {',
        '              "mime": "text/plain",',
        '              "text": ["ok"]',
        '            },',
        '            {',
        '              "mime": "application/json",',
        '              "json": {',
        // Output data keeps its own key order (only metadata is sorted).
        '                "b": [1,2],',
        '                "a": {',
        '                  "x": null',
        '                }',
        '              }',
        '            }',
        '          ]',
        '        }',
        '      ],',
        '      "execution": {',
        '        "order": 1,',
        '        "success": true',
        '      }',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('parse -> serialise gives identical bytes, outputs included', () => {
    const text = serialiseRgnb(sample());
    expect(serialiseRgnb(parseRgnb(text))).toBe(text);
    // And twice over.
    expect(serialiseRgnb(parseRgnb(serialiseRgnb(parseRgnb(text))))).toBe(text);
    const back = parseRgnb(text);
    expect(back.cells).toHaveLength(3);
    expect(back.cells[1].outputs).toHaveLength(3);
    expect(back.cells[1].outputs[1].items[0]).toEqual(sample().cells[1].outputs[1].items[0]);
    expect(back.cells[1].outputs[2].items[0]).toEqual({ mime: 'image/png', base64: 'iVBORw0KGgo=' });
    expect(back.cells[2].execution).toEqual({ order: 3, success: false });
    expect(back.cells.map((c) => c.source)).toEqual(sample().cells.map((c) => c.source));
  });

  it('metadata keys are sorted at every depth, so insertion order never shows in the file', () => {
    const a = sample();
    const b = sample();
    b.metadata = { kernel: { version: 1, name: 'radiogenomics' }, study: 'gbm.study.yaml' };
    b.cells[1].metadata = { collapsed: false, tags: ['extract'] };
    expect(serialiseRgnb(b)).toBe(serialiseRgnb(a));
    const text = serialiseRgnb(a);
    expect(text).toContain('  "metadata": {\n    "kernel": {\n      "name": "radiogenomics",\n      "version": 1\n    },\n    "study": "gbm.study.yaml"\n  },\n');
    // Structure keys in their fixed order.
    const cell = text.slice(text.indexOf('"kind": "code"'));
    const order = ['"kind"', '"language"', '"source"', '"metadata"', '"outputs"', '"execution"'].map((k) => cell.indexOf(k));
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  it('keeps a source exactly, line ends included', () => {
    for (const source of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\n', 'x\n\ny\n']) {
      expect(splitLines(source).join('')).toBe(source);
      const nb: RgnbNotebook = { metadata: {}, cells: [{ kind: 'code', language: 'javascript', source, metadata: {}, outputs: [] }] };
      expect(parseRgnb(serialiseRgnb(nb)).cells[0].source).toBe(source);
    }
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
  });

  it('stores output bytes as JSON, text or base64 by MIME type and gives the same bytes back', () => {
    const json = itemFromBytes('application/vnd.radiogenomics.roc+json', enc.encode('{"version":1,"curves":[]}'));
    expect(json).toEqual({ mime: 'application/vnd.radiogenomics.roc+json', json: { version: 1, curves: [] } });
    expect(new TextDecoder().decode(itemToBytes(json))).toBe('{"version":1,"curves":[]}');
    const text = itemFromBytes('application/vnd.code.notebook.stdout', enc.encode('héllo\n'));
    expect(text).toEqual({ mime: 'application/vnd.code.notebook.stdout', text: 'héllo\n' });
    expect(itemToBytes(text)).toEqual(enc.encode('héllo\n'));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    const bin = itemFromBytes('image/png', png);
    expect(bin).toEqual({ mime: 'image/png', base64: Buffer.from(png).toString('base64') });
    expect(itemToBytes(bin)).toEqual(png);
    // Not JSON after all: kept as text. Not UTF-8: kept as base64 even under a text type.
    expect(itemFromBytes('application/json', enc.encode('{oops'))).toEqual({ mime: 'application/json', text: '{oops' });
    expect(itemFromBytes('text/plain', new Uint8Array([0xff, 0xfe]))).toEqual({ mime: 'text/plain', base64: '//4=' });
  });

  it('an empty file is an empty notebook', () => {
    expect(parseRgnb('')).toEqual({ metadata: {}, cells: [] });
    expect(parseRgnb('  \n')).toEqual({ metadata: {}, cells: [] });
    expect(serialiseRgnb({ metadata: {}, cells: [] })).toBe('{\n  "format": "radiogenomics-notebook",\n  "version": 1,\n  "cells": []\n}\n');
  });

  it('refuses what it cannot read, naming the place', () => {
    expect(() => parseRgnb('{')).toThrow(RgsError);
    expect(() => parseRgnb('{')).toThrow(/not valid JSON/);
    expect(() => parseRgnb('{"format":"jupyter","version":1}')).toThrow(/notebook format: expected "radiogenomics-notebook"/);
    expect(() => parseRgnb('{"format":"radiogenomics-notebook","version":2,"cells":[]}')).toThrow(/newer Radiogenomics Studio/);
    expect(() => parseRgnb('{"format":"radiogenomics-notebook","version":1,"cells":[{"kind":"code"},{"kind":"raw"}]}')).toThrow(/cells\[1\]\.kind: expected "code" or "markdown", got "raw"/);
    expect(() => parseRgnb('{"format":"radiogenomics-notebook","version":1,"cells":[{"kind":"code","outputs":[{"items":[{"mime":"x"}]}]}]}')).toThrow(
      /cells\[0\]\.outputs\[0\]\.items\[0\]: an output item needs/,
    );
  });
});
