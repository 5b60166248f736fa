import { prepareRun } from './global-setup';

/** The product tier's setup: the run's temporary folder and variables, no app synthesized. */
export default function productGlobalSetup(): void {
  prepareRun();
}
