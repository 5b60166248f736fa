/**
 * The user tier's tests synthesize apps of their own (fixtures, one construct, a stack) without
 * the compliance gate. Unless told otherwise, the CDK runs its CloudFormation validation on every
 * synth anyway, and loading it costs seconds in each test file (a WebAssembly module). It reads
 * the templates and changes nothing in them; the gate registers it explicitly, which this does
 * not turn off, so the project's app (test/jest/synth-default-app.ts) and the tests of the gate
 * still run it. Only the user tier sets it: the product tier runs the CLI as a user does.
 */
process.env.CDK_VALIDATION = 'false';
