// A tiny Prisma generator that writes the full DMMF to JSON, for the schema drift test.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import generatorHelper from '@prisma/generator-helper';

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'DMMF JSON', defaultOutput: './dmmf.json' }),
  onGenerate: async (options) => {
    const file = options.generator.output?.value;
    if (!file) throw new Error('dmmf generator needs an output');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ datamodel: options.dmmf.datamodel }, null, 2));
  },
});
