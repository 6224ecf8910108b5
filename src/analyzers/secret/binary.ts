/** Extensions of files that are binary or compressed: never worth decoding as text. */
const BINARY_EXTENSIONS = new Set([
  // libraries, objects, executables
  'so',
  'a',
  'o',
  'ko',
  'dll',
  'dylib',
  'exe',
  'bin',
  'node',
  'wasm',
  'class',
  'pyc',
  'pyo',
  'pyd',
  // archives and packages
  'jar',
  'war',
  'ear',
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  'lz4',
  'lzma',
  '7z',
  'rar',
  'tar',
  'whl',
  'egg',
  'gem',
  'deb',
  'rpm',
  'apk',
  'iso',
  'img',
  'pack',
  'idx',
  'nupkg',
  'crate',
  // media and fonts
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'ico',
  'icns',
  'webp',
  'tif',
  'tiff',
  'psd',
  'svgz',
  'mp3',
  'mp4',
  'wav',
  'ogg',
  'flac',
  'avi',
  'mov',
  'webm',
  'pdf',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'pfb',
  // data stores and compiled catalogues
  'db',
  'sqlite',
  'sqlite3',
  'mo',
  'gmo',
  'dat',
  'pak',
  'cache',
]);

export function hasBinaryExtension(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/\.so(?:\.\d+)+$/.test(name)) return true; // versioned shared objects: libssl.so.3
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return false;
  return BINARY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** A NUL byte in the first 8 KiB marks binary content (as git and grep decide). */
export function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8192).includes(0);
}
