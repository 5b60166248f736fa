import { dev } from './dev';
import { prod } from './prod';

/** The stages of the example pipeline, in the order a release passes through them. */
export const stages = [dev, prod];
