/**
 * `yo mlpipeline:model <name>...`: the app generator run inside a project with the named estimators
 * joined to its extraModels answer, as `mlpipeline model <name>` does (lib/model.ts). Adding one the
 * project has already says so and changes nothing.
 */
import { MODEL, modelHelpText } from '../../lib/model.js';
import { addingGenerator } from '../app/addon-generator.js';

export default addingGenerator(MODEL, 'model', (command) => modelHelpText(`${command} <name>...`));
