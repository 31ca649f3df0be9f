/**
 * `Content-Disposition: attachment` with a name no browser can misread: an ASCII fallback
 * with everything but letters, digits, dot, dash and underscore replaced, plus the exact
 * UTF-8 name in RFC 5987 form for browsers that read it (all current ones).
 */
export function attachment(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? 'download';
  const cleaned =
    [...base]
      .filter((ch) => {
        const code = ch.codePointAt(0) ?? 0;
        return code >= 0x20 && code !== 0x7f;
      })
      .join('')
      .trim() || 'download';
  const ascii = cleaned.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(cleaned)}`;
}
