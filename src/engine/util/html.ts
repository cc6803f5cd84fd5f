/** Escaping text for HTML (and SVG), shared by the report and the notebook kernel's outputs. */

/** Text content and attribute values, escaped for HTML/SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
