/** Whether this page can get a WebGL2 context (NiiVue renders only with WebGL2). */
export function webgl2Available(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2');
    if (!gl) return false;
    // Free the probe context at once: browsers cap live contexts (about 16 per page).
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

export const WEBGL2_UNAVAILABLE_TITLE = 'WebGL2 is not available';
export const WEBGL2_UNAVAILABLE_DETAIL =
  'The NIfTI viewer draws with WebGL2, which this window cannot use (hardware acceleration may be ' +
  'disabled, or the GPU driver blocked). Enable GPU acceleration (for VS Code: the ' +
  '"disable-hardware-acceleration" option in argv.json, or start it without --disable-gpu), or ' +
  'open the file in another viewer. Radiomics extraction does not need WebGL.';
