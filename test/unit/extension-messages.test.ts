/**
 * The guards on webview <-> host messages: what a page may post is untrusted, so each field is
 * checked before the host reads it, and the webview checks what the host sends the same way.
 */
import { describe, expect, test } from 'vitest';
import { MAX_LIST_LENGTH, MAX_TEXT_LENGTH, parseHostMessage, parseWebviewMessage, urlsToPreload } from '../../src/extension/messages';

describe('parseWebviewMessage (webview -> host)', () => {
  test('accepts the three message types and copies only known fields', () => {
    expect(parseWebviewMessage({ type: 'ready', extra: 'ignored' })).toEqual({ type: 'ready' });
    expect(parseWebviewMessage({ type: 'loaded', volumes: [{ name: 't1.nii.gz', dims: [240, 240, 155], junk: 1 }] })).toEqual({
      type: 'loaded',
      volumes: [{ name: 't1.nii.gz', dims: [240, 240, 155] }],
    });
    expect(parseWebviewMessage({ type: 'error', code: 'webgl2-unavailable', message: 'no WebGL2' })).toEqual({
      type: 'error',
      code: 'webgl2-unavailable',
      message: 'no WebGL2',
    });
  });

  test.each([
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', {}],
    ['an unknown type', { type: 'run-command', command: 'workbench.action.terminal.new' }],
    ['loaded without volumes', { type: 'loaded' }],
    ['loaded with a non-numeric dim', { type: 'loaded', volumes: [{ name: 'a', dims: [1, '2', 3] }] }],
    ['loaded with an infinite dim', { type: 'loaded', volumes: [{ name: 'a', dims: [1, Infinity, 3] }] }],
    ['loaded with too many volumes', { type: 'loaded', volumes: Array.from({ length: MAX_LIST_LENGTH + 1 }, () => ({ name: 'a', dims: [1] })) }],
    ['error with an unknown code', { type: 'error', code: 'oops', message: 'x' }],
    ['error without a message', { type: 'error', code: 'load-failed' }],
    ['error with a huge message', { type: 'error', code: 'load-failed', message: 'x'.repeat(MAX_TEXT_LENGTH + 1) }],
  ])('rejects %s', (_what, raw) => {
    expect(parseWebviewMessage(raw)).toBeNull();
  });
});

describe('parseHostMessage (host -> webview)', () => {
  const info = { dims: [4, 4, 4], spacing: [1, 1, 1], datatype: 'int16', bytes: 128 };
  const url = { kind: 'url', name: 't1.nii.gz', url: 'https://file+.vscode-resource.vscode-cdn.net/ws/t1.nii.gz' };

  test('accepts init-viewer with a URL or with bytes (ArrayBuffer or Uint8Array)', () => {
    expect(parseHostMessage({ type: 'init-viewer', volume: url, info })?.type).toBe('init-viewer');
    const ab = new ArrayBuffer(8);
    const m1 = parseHostMessage({ type: 'init-viewer', volume: { kind: 'bytes', name: 'a.nii', data: ab }, info });
    expect(m1?.type === 'init-viewer' && m1.volume.kind === 'bytes' && m1.volume.data).toBe(ab);
    const u8 = new Uint8Array(8);
    const m2 = parseHostMessage({ type: 'init-viewer', volume: { kind: 'bytes', name: 'a.nii', data: u8 }, info });
    expect(m2?.type === 'init-viewer' && m2.volume.kind === 'bytes' && m2.volume.data).toBe(u8);
  });

  test('rejects a volume source without data, URL or name', () => {
    expect(parseHostMessage({ type: 'init-viewer', volume: { kind: 'bytes', name: 'a.nii', data: [1, 2] }, info })).toBeNull();
    expect(parseHostMessage({ type: 'init-viewer', volume: { kind: 'url', name: 'a.nii', url: '' }, info })).toBeNull();
    expect(parseHostMessage({ type: 'init-viewer', volume: { kind: 'url', name: '', url: 'x' }, info })).toBeNull();
    expect(parseHostMessage({ type: 'init-viewer', volume: { kind: 'file', name: 'a', path: '/etc/passwd' }, info })).toBeNull();
    expect(parseHostMessage({ type: 'init-viewer', volume: url, info: { ...info, dims: 'big' } })).toBeNull();
  });

  const label = { value: 1, name: 'necrosis', color: [255, 0, 0], voxels: 10, volumeMl: 0.01 };
  const subject = { type: 'init-subject', title: 'case 1', sequences: [{ name: 'T1', source: url }], mask: url, labels: [label], warnings: [] };

  test('accepts a well-formed init-subject', () => {
    expect(parseHostMessage(subject)).toEqual(subject);
  });

  test.each([
    ['no sequences', { ...subject, sequences: [] }],
    ['a colour channel above 255', { ...subject, labels: [{ ...label, color: [256, 0, 0] }] }],
    ['a colour with two channels', { ...subject, labels: [{ ...label, color: [255, 0] }] }],
    ['a non-integer label value', { ...subject, labels: [{ ...label, value: 1.5 }] }],
    ['a NaN volume', { ...subject, labels: [{ ...label, volumeMl: NaN }] }],
    ['a warning that is not text', { ...subject, warnings: [42] }],
    ['a mask without a source', { ...subject, mask: undefined }],
  ])('rejects init-subject with %s', (_what, raw) => {
    expect(parseHostMessage(raw)).toBeNull();
  });

  test('show-error carries text only', () => {
    expect(parseHostMessage({ type: 'show-error', message: 'too big' })).toEqual({ type: 'show-error', message: 'too big' });
    expect(parseHostMessage({ type: 'show-error', message: { html: '<b>x</b>' } })).toBeNull();
  });
});

describe('csp-violation reports', () => {
  test('carry the directive and the blocked URI as text', () => {
    expect(parseWebviewMessage({ type: 'csp-violation', directive: 'script-src-elem', blocked: 'inline' })).toEqual({
      type: 'csp-violation',
      directive: 'script-src-elem',
      blocked: 'inline',
    });
    expect(parseWebviewMessage({ type: 'csp-violation', directive: 'x'.repeat(201), blocked: 'inline' })).toBeNull();
    expect(parseWebviewMessage({ type: 'csp-violation', directive: 'img-src' })).toBeNull();
  });
});

describe('urlsToPreload', () => {
  const url = (name: string) => ({ kind: 'url' as const, name, url: `https://r/${name}` });
  test('lists the URL sources of a subject (sequences, then the mask) and skips posted bytes', () => {
    const msg = {
      type: 'init-subject' as const,
      title: 's',
      sequences: [
        { name: 'T1', source: url('t1.nii.gz') },
        { name: 'FLAIR', source: { kind: 'bytes' as const, name: 'flair.nii', data: new ArrayBuffer(8) } },
      ],
      mask: url('seg.nii.gz'),
      labels: [],
      warnings: [],
    };
    expect(urlsToPreload(msg)).toEqual(['https://r/t1.nii.gz', 'https://r/seg.nii.gz']);
  });
  test('lists the viewer\'s volume, and nothing for an error', () => {
    expect(urlsToPreload({ type: 'init-viewer', volume: url('a.nii'), info: { dims: [2, 2, 2], spacing: [1, 1, 1], datatype: 'uint8', bytes: 8 } })).toEqual(['https://r/a.nii']);
    expect(urlsToPreload({ type: 'show-error', message: 'too big' })).toEqual([]);
  });
});
