/**
 * What the runner (outside, driving the browser) and the suite (inside the extension host) share:
 * the run's configuration file, and the screenshot/probe handshake. The suite writes a request
 * file and waits; the runner screenshots the workbench, reads the visible webview's text and the
 * pixel classes of the canvases asked for, and writes the response. Both run on this machine, so
 * files in the run folder are the simplest channel that needs nothing from VS Code.
 */

/** Written by the runner next to the bundled suite (out/vscode-tests/e2e-config.json). */
export interface E2eConfig {
  /** The workspace folder code-server opened. */
  workspace: string;
  /** A folder outside the workspace holding sphere.nii. */
  outside: string;
  /** Sequence name -> image path (inside the workspace), and the mask. */
  images: Record<string, string>;
  mask: string;
  /** Label -> voxel count, counted by the runner from the mask it wrote (1 mm voxels). */
  expectedVoxels: Record<string, number>;
  /** Folder for requests/responses and the suite's results. */
  exchangeDir: string;
  extensionId: string;
  /** Whether a runner answers probe requests (screenshots, the visible webview's text, canvas
   *  pixels). Absent or true: the code-server runner does, and a probe without an answer fails.
   *  False under @vscode/test-electron (test/vscode/electron), which drives no browser: probe()
   *  returns 'unavailable' at once and the tests skip their on-screen assertions, saying so. */
  probes?: boolean;
}

export interface ProbeRequest {
  name: string;
  /** Canvas selectors inside the visible webview whose pixels to classify. */
  canvases?: string[];
}

export interface PixelCounts {
  total: number;
  background: number;
  grey: number;
  red: number;
  green: number;
  yellow: number;
  other: number;
}

export interface ProbeResponse {
  name: string;
  screenshot: string;
  /** innerText of the visible webview's page, or null when no webview is visible. */
  webviewText: string | null;
  canvases: Record<string, PixelCounts | null>;
}

/** What probe() returns when no runner answers probes (E2eConfig.probes false). */
export const PROBE_UNAVAILABLE = 'unavailable';
export type ProbeUnavailable = typeof PROBE_UNAVAILABLE;

export interface SuiteResult {
  passed: string[];
  failed: { title: string; error: string }[];
}
