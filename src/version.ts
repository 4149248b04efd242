/** xloop's version; a test keeps it equal to package.json's. */
export const xloopVersion = "0.1.0";

/** Version of the JSON documents xloop prints (`--json`); bumped on any incompatible change. */
export const jsonSchemaVersion = 1;
