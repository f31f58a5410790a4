from docxreport.cli import main

main()
