/** `yo mlpipeline:precommit`: adds the precommit add-on to the project around the current folder (see lib/add.ts). */
import { addonGenerator } from '../app/addon-generator.js';

export default addonGenerator('precommit');
