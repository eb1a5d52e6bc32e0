setTimeout('not a function');
