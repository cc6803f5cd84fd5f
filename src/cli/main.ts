process.stdout.write('rgs\n');
