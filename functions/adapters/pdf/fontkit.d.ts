// fontkit ships no types; only the part the glyph check reads is declared.
declare module 'fontkit' {
  export function create(buffer: Uint8Array): { readonly characterSet: number[] };
}
