/** Types for build-stamp.mjs, which the browser tests import. */
export declare const webDir: string;
export declare const projectRoot: string;
export declare const outDir: string;
export declare function inputsHash(): string;
export declare function isBuildCurrent(hash?: string): boolean;
export declare function writeStamp(hash: string): void;
