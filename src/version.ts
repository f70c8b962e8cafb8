// The bundler inlines package.json, so the version has one source shared with the Python package.
declare const require: (id: string) => { version: string };

/** The version of this frontend bundle (from package.json). */
export const FRONTEND_VERSION: string = require('../package.json').version;
