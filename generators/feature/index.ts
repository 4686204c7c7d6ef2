/**
 * `yo mlpipeline:feature NAME...`: the app generator run inside a project with the custom features
 * joined to its answers, as `mlpipeline feature NAME...` does (lib/feature.ts). Adding one the project
 * has already says so and changes nothing.
 */
import { FEATURE, featureHelpText } from '../../lib/feature.js';
import { addingGenerator } from '../app/addon-generator.js';

export default addingGenerator(FEATURE, 'feature', (command) => featureHelpText(command));
