/** `yo mlpipeline:docs`: adds the docs add-on to the project around the current folder (see lib/add.ts). */
import { addonGenerator } from '../app/addon-generator.js';

export default addonGenerator('docs');
