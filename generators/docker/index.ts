/** `yo mlpipeline:docker`: adds the docker add-on to the project around the current folder (see lib/add.ts). */
import { addonGenerator } from '../app/addon-generator.js';

export default addonGenerator('docker');
