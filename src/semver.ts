// Version comparison that needs no bundler, so Node can test it directly.

const LABELS: Record<string, string> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc'
};

/**
 * A comparison key equal for the npm and Python spellings of one version
 * (`1.2.0-alpha.1` and `1.2.0a1`), as hatch-nodejs-version converts them.
 */
export function versionKey(version: string): string {
  const match = /^v?(\d+\.\d+\.\d+)(.*)$/.exec(version.trim().toLowerCase());
  if (!match) {
    return version.trim().toLowerCase();
  }
  const [release, rest] = [match[1], match[2]];
  const [pre, local = ''] = rest.split('+', 2);
  const tail = pre
    .replace(/[-_.]/g, '')
    .replace(/(rc|alpha|beta|preview|pre|c)(?=\d|dev|$)/g, label => LABELS[label] ?? label);
  return release + tail + (local ? `+${local}` : '');
}

/** Whether the server and this frontend come from the same release. */
export function sameVersion(server: string, frontend: string): boolean {
  return versionKey(server) === versionKey(frontend);
}
