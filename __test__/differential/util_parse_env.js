const { parseEnv } = require('util');
for (const c of ['A="a\\tb\\\\n"', "A='a\\nb'", 'A=`a\\nb`', 'A=x\nA=y', 'A= "  spaced  "  ', 'A=  un quoted  ', 'export  A = 1', 'exportA=1', 'A="x\n#notcomment\ny"\nB=2', "A='it\"s'", 'A="say \\"hi\\""', 'A=a=b', 'A=#x', 'A= #x', '  # c\n\n\nB=1', 'A="open\nB=2\nC=3', "A='open\nB=2", 'A=`x\ny`z', 'A=1#x', 'A="1"#x', 'K Y=1', '\tA=1\t', 'A=\'x\' # c', 'A=""', 'A=\\n', 'A=x\\ny', 'A=\'\n\'']) {
  console.log(JSON.stringify(c), JSON.stringify(parseEnv(c)));
}
